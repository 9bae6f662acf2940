/**
 * For tests: one HTTP request to a function module served by the runtime's real
 * `serveFunction` on an ephemeral loopback port (what an instance runs), whichever HTTP
 * handler the module has. The request is written as a web `Request` against any origin
 * (`http://fn/?name=Ann`); only its path, method, headers and body are sent.
 */
import type { FunctionModule } from '../../sdk/index.js';
import { serveFunction } from '../../platform/testing/index.js';

export async function invokeHttp(mod: FunctionModule, request: Request): Promise<Response> {
  const served = await serveFunction(mod, { port: 0, protocol: 'http1', onInvocation: () => undefined });
  try {
    const { pathname, search } = new URL(request.url);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const response = await fetch(`http://127.0.0.1:${served.port}${pathname}${search}`, {
      method: request.method,
      headers: request.headers,
      ...(hasBody ? { body: await request.arrayBuffer() } : {}),
    });
    // Read before the server closes, then hand back an equivalent Response.
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    await served.close();
  }
}
