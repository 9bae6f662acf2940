/**
 * The HTTP/1.1 peer of the cold-start end-to-end row's hop: the simplest reverse proxy one
 * would write on node:http, to one upstream port: each request becomes a request on a
 * keep-alive agent to the instance, bodies piped both ways, status and headers passed on.
 * No routing, no activator, no accounting, no error mapping: what a node:http proxy
 * process itself adds to a request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startHttpProxy(
  upstreamPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const out = http.request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
