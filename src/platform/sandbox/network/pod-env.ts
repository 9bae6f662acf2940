/**
 * hivelab's own URLs as a pod sees them. The SDK's `call()` goes to `HIVELAB_GATEWAY_URL`
 * and span export to `HIVELAB_ZIPKIN_URL`, both usually on the host's loopback
 * (`http://127.0.0.1:8080`); in a pod, 127.0.0.1 is the pod's own loopback, so they are
 * rewritten to the host end of the veth pair, which the host DNATs to its loopback (see
 * pod-network-plan.ts). A URL naming another host is left as it is.
 * Pure.
 */

import { HIVELAB_HOST_VARIABLES } from '../launch/instance-env.js';

function isHostLoopback(hostname: string): boolean {
  // IPv6 loopback is not rewritten: the pod network is IPv4, its DNAT leads to 127.0.0.1 only.
  return hostname === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Pure: `url` with a host-loopback host replaced by `hostIp` (port, path, query kept); else `url`. */
export function podReachableUrl(url: string, hostIp: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!isHostLoopback(parsed.hostname)) return url;
  parsed.hostname = hostIp;
  // URL adds a trailing slash to a bare origin; keep the user's form.
  const rewritten = parsed.toString();
  return !url.endsWith('/') && rewritten.endsWith('/') && parsed.pathname === '/'
    ? rewritten.slice(0, -1)
    : rewritten;
}

/** Pure: `env` with hivelab's URLs rewritten for a pod whose host end is `hostIp`. */
export function podReachableEnv(
  env: Readonly<Record<string, string>>,
  hostIp: string,
): Record<string, string> {
  const out = { ...env };
  for (const name of HIVELAB_HOST_VARIABLES) {
    const value = out[name];
    if (value !== undefined) out[name] = podReachableUrl(value, hostIp);
  }
  return out;
}
