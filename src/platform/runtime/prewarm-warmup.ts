/**
 * What a prewarmed generic runtime does while it waits to be specialised, so that
 * specialising costs only the function's own `import()`, `init()` and `listen`:
 * - import the SDK (and the package-root lookup the built-in functions use): a function
 *   that imports `hivelab/sdk` then finds it in the module cache;
 * - serve one throwaway request through the real HTTP path (node's server and parser, the
 *   web `Request`/`Response` adapter), which loads undici and compiles that path once, so
 *   the function's first real request does not pay for it.
 * Everything here is best effort: a failed warm-up only leaves the runtime colder.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { distPath } from '../../package-root.js';
import { serveFunction } from './serve-function.js';

/** One request to `port` on loopback; resolves when the answer was read. */
function requestOnce(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/warm-up?name=warm-up', agent: false },
      (res) => {
        res.resume();
        res.once('end', resolve);
      },
    );
    req.once('error', reject);
    req.end('warm-up');
  });
}

/** Serves one request through a stand-in function on an ephemeral port, then closes it. */
async function warmHttpPath(): Promise<void> {
  const served = await serveFunction(
    {
      fetch: async (request) => {
        const text = await request.text();
        return new Response(text, { headers: { 'content-type': 'text/plain' } });
      },
    },
    { port: 0, protocol: 'http1', onInvocation: () => undefined },
  );
  try {
    await requestOnce(served.port);
  } finally {
    await served.close();
  }
}

/** Loads and exercises the generic runtime; resolves (never rejects) when done. */
export async function warmUpRuntime(): Promise<void> {
  await Promise.all([
    // The SDK in dist/ that function modules import, by URL so the bundle does not inline it …
    import(pathToFileURL(distPath('sdk', 'index.js')).href).catch(() => undefined),
    // … and, in the runner bundle, the bundle's own copy that its built-in functions use
    // (from dist/ both are the same module).
    import('../../sdk/index.js').catch(() => undefined),
    warmHttpPath().catch(() => undefined),
  ]);
}
