/**
 * What a prewarmed generic runtime does while it waits to be specialised, so that
 * specialising costs only the function's own `import()`, `init()` and `listen`:
 * - import the SDK (and the package-root lookup the built-in functions use): a function
 *   that imports `hivelab/sdk` then finds it in the module cache;
 * - load node:http2 and the lean gRPC host, which a gRPC function serves with;
 * - serve one throwaway request through each real HTTP path (node's server and parser; the
 *   Node-native handler path, and the web `Request`/`Response` adapter, which loads undici),
 *   compiling them once, so the function's first real request does not pay for it whichever
 *   handler it has. (Loading undici here costs idle pool time, not a cold start.)
 * Everything here is best effort: a failed warm-up only leaves the runtime colder.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { distPath } from '../../package-root.js';
import type { FunctionModule } from '../../sdk/index.js';
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

/** Echoes the request body, the Node-native way. */
async function echoNode(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(Buffer.concat(chunks));
}

/** Echoes the request body, the web way. */
async function echoWeb(request: Request): Promise<Response> {
  const text = await request.text();
  return new Response(text, { headers: { 'content-type': 'text/plain' } });
}

/** Serves one request through a stand-in function on an ephemeral port, then closes it. */
async function warmHttpPath(mod: FunctionModule): Promise<void> {
  const served = await serveFunction(mod, { port: 0, protocol: 'http1', onInvocation: () => undefined });
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
    import('./grpc-host.js')
      .then(() => void createRequire(import.meta.url)('node:http2'))
      .catch(() => undefined),
    warmHttpPath({ node: echoNode })
      .then(() => warmHttpPath({ fetch: echoWeb }))
      .catch(() => undefined),
  ]);
}
