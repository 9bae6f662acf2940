/**
 * Which function a request is for: by Host / `:authority` (`<name>.<namespace>.<anything>`,
 * so `*.localhost`, `*.<ip>.sslip.io` and Knative's `*.svc.cluster.local` all work) or by
 * path (`/fn/<name>/…` in namespace `default`, for curl). Pure.
 */
import { decodePathSegment } from '../../http/index.js';

/** Where a request goes. `path` is what the function sees (the `/fn/<name>` prefix removed). */
export interface Route {
  namespace: string;
  name: string;
  path: string;
}

/** Path prefix of the admin API (`admin-api.ts`); never routed to a function. */
export const ADMIN_PREFIX = '/_hivelab/';

const PATH_PREFIX = '/fn/';

/**
 * Resolves a request to a deployed function, or `undefined`. A malformed %-escape in the
 * function name of a `/fn/` path throws an `HttpError` 400: the client's error.
 * @param host the Host header or `:authority`, with or without a port
 * @param isDeployed whether `namespace/name` is deployed
 */
export function resolveRoute(
  host: string | undefined,
  path: string,
  isDeployed: (namespace: string, name: string) => boolean,
): Route | undefined {
  if (host) {
    const labels = stripPort(host).toLowerCase().split('.');
    const [name, namespace] = labels;
    if (name && namespace && isDeployed(namespace, name)) return { namespace, name, path };
  }
  if (path.startsWith(PATH_PREFIX)) {
    const rest = path.slice(PATH_PREFIX.length);
    const end = firstIndexOf(rest, ['/', '?']);
    const name = decodePathSegment(rest.slice(0, end), 'function name');
    if (name && isDeployed('default', name)) {
      const tail = rest.slice(end);
      return { namespace: 'default', name, path: tail.startsWith('/') ? tail : `/${tail}` };
    }
  }
  return undefined;
}

/** `host:port`, `[v6]:port` or `host` → host. */
export function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function firstIndexOf(text: string, chars: readonly string[]): number {
  let best = text.length;
  for (const c of chars) {
    const i = text.indexOf(c);
    if (i !== -1 && i < best) best = i;
  }
  return best;
}
