/**
 * Short names for request types in reports: a type key (the whole call tree) is too long
 * for a table, so each type gets `T<n>` (by count, most first) and a description naming the
 * frontend's endpoint and the services it reached. Pure.
 */

export interface TypeLabel {
  id: string;
  /** e.g. `GET /hotels: search, geo, rate, reservation, profile`. */
  description: string;
}

/** Pure: the endpoint and the services named in a key, in order of first appearance. */
export function describeTypeKey(key: string): string {
  const endpoint = /\b(get|post|put|delete) (\/[A-Za-z0-9_/-]*)/i.exec(key);
  const services: string[] = [];
  for (const match of key.matchAll(/([A-Za-z0-9_.-]+):/g)) {
    const service = match[1]!;
    if (['hivelab-gateway', 'invoker', 'frontend'].includes(service) || services.includes(service)) continue;
    services.push(service);
  }
  const head = endpoint ? `${endpoint[1]!.toUpperCase()} ${endpoint[2]}` : (key.split(/[ →>]/)[0] ?? key);
  return services.length > 0 ? `${head}: ${services.join(', ')}` : head;
}

/** Pure: a label per key, `T1` the first key given (callers pass them most-counted first). */
export function labelTypes(keys: readonly string[]): Map<string, TypeLabel> {
  return new Map(keys.map((key, i) => [key, { id: `T${i + 1}`, description: describeTypeKey(key) }]));
}
