/**
 * The peer of bench/gateway-grpc: the simplest h2c reverse proxy one would write on
 * node:http2's core API, to one upstream port: each incoming stream becomes a request on
 * one pooled session to the instance, bodies piped both ways, the response's headers and
 * trailers passed on. No routing, no accounting, no error mapping: what node:http2 itself
 * costs per proxied call.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

const HOP_BY_HOP = new Set([':status', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

export async function startH2Proxy(upstreamPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const upstream = http2.connect(`http://127.0.0.1:${upstreamPort}`);
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const { ':authority': _a, ...forwarded } = headers;
    const out = upstream.request({ ...forwarded, ':authority': `127.0.0.1:${upstreamPort}` });
    out.on('response', (responseHeaders) => {
      const head: http2.OutgoingHttpHeaders = { ':status': responseHeaders[':status'] };
      for (const [k, v] of Object.entries(responseHeaders)) if (!HOP_BY_HOP.has(k)) head[k] = v;
      stream.respond(head, { waitForTrailers: true });
      out.pipe(stream);
    });
    let trailers: http2.OutgoingHttpHeaders = {};
    out.on('trailers', (t: http2.IncomingHttpHeaders) => {
      trailers = { ...t };
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    out.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('error', () => out.close(http2.constants.NGHTTP2_CANCEL));
    stream.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        upstream.close();
        server.close(() => resolve());
      }),
  };
}
