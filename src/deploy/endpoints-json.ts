/**
 * vHive's `endpoints.json`, byte for byte: Go's `json.MarshalIndent(endpoints, "", "\t")` of
 * `[]Endpoint{Hostname, Eventing, Matchers map[string]string}` (vSwarm `tools/deployer`):
 * tab indentation, `": "` separators, no trailing newline, and `null` for no endpoints
 * (a nil Go slice).
 */

export interface Endpoint {
  hostname: string;
  eventing: boolean;
  matchers: Record<string, string> | null;
}

export function formatEndpointsJson(hostnames: readonly string[]): string {
  if (hostnames.length === 0) return 'null';
  const endpoints: Endpoint[] = hostnames.map((hostname) => ({ hostname, eventing: false, matchers: null }));
  // JSON.stringify with "\t" matches MarshalIndent for this shape; Go also escapes <, > and &
  // as \u003c…, which hostnames never contain.
  return JSON.stringify(endpoints, null, '\t');
}
