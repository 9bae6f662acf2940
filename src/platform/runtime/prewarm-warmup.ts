/**
 * What a prewarmed generic runtime does while it waits to be specialised, so that
 * specialising costs only the function's own `import()`, `init()` and `listen`:
 * - import the SDK (and the package-root lookup the built-in functions use): a function
 *   that imports `hivelab/sdk` then finds it in the module cache;
 * - serve one throwaway request through each real HTTP path (node's server and parser; the
 *   Node-native handler path, and the web `Request`/`Response` adapter, which loads undici),
 *   compiling them once, so the function's first real request does not pay for it whichever
 *   handler it has. (Loading undici here costs idle pool time, not a cold start.)
 * - the same for gRPC: one throwaway `SayHello` through the lean gRPC host on node:http2
 *   (session setup, HPACK, the stream and trailers paths, proto decode and encode). Loading
 *   http2 alone left that to the first real call: measured on a prewarmed helloworld at load
 *   ~2.5, the first call on a fresh connection took 10-16 ms (response 7-11 ms after the
 *   SETTINGS exchange) against 6-9 ms once this call had run; the specialise step (parse the
 *   proto, listen) went from ~8 ms to ~5 ms.
 * The throwaway requests go to stand-in functions on ephemeral ports before the runtime is
 * specialised: the function's own handler, counters and spans never see them.
 * Everything here is best effort: a failed warm-up only leaves the runtime colder.
 */
import http from 'node:http';
import type * as Http2 from 'node:http2';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distPath, packageRoot } from '../../package-root.js';
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

/** The shipped helloworld proto (vSwarm's): the stand-in gRPC function serves it. */
const WARM_UP_PROTO = path.join(packageRoot, 'proto', 'helloworld.proto');
const WARM_UP_NAME = Buffer.from('warm-up');
/** gRPC frame: not compressed, 4-byte length, then HelloRequest { name (field 1) = "warm-up" }. */
const WARM_UP_CALL = Buffer.concat([
  Buffer.from([0, 0, 0, 0, WARM_UP_NAME.length + 2, 0x0a, WARM_UP_NAME.length]),
  WARM_UP_NAME,
]);

/** One unary call to `port` on a fresh HTTP/2 connection; resolves at the end of its answer. */
function grpcCallOnce(http2: typeof Http2, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.once('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/helloworld.Greeter/SayHello',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.once('error', reject);
    stream.resume();
    stream.once('end', () => {
      session.close();
      resolve();
    });
    stream.end(WARM_UP_CALL);
  });
}

/** Serves one gRPC call through a stand-in function on the lean host, then closes it. */
async function warmGrpcPath(): Promise<void> {
  // Required, not imported, as the lean host does: the same code runs in snapshot bundles.
  const http2 = createRequire(import.meta.url)('node:http2') as typeof Http2;
  const served = await serveFunction(
    {
      grpc: [
        {
          protoPath: WARM_UP_PROTO,
          service: 'helloworld.Greeter',
          methods: { SayHello: (request) => ({ message: String(request.name) }) },
        },
      ],
    },
    { port: 0, protocol: 'h2c', onInvocation: () => undefined },
  );
  try {
    await grpcCallOnce(http2, served.port);
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
    // One after the other: each serves and calls itself on this one thread.
    warmHttpPath({ node: echoNode })
      .then(() => warmHttpPath({ fetch: echoWeb }))
      .catch(() => undefined)
      .then(warmGrpcPath)
      .catch(() => undefined),
  ]);
}
