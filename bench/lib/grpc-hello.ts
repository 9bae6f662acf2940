/**
 * One `helloworld.Greeter/SayHello` call on a fresh HTTP/2 connection (node:http2, the
 * message framed by hand), resolved at the end of its answer: the gRPC twin of the
 * HTTP/1.1 first request of bench/cold-start, the same client for the driver-level and the
 * end-to-end rows. `authority` routes it at the gateway (`<name>.<namespace>.localhost`).
 */
import http2 from 'node:http2';

const NAME = Buffer.from('bench');
// gRPC frame: not compressed, 4-byte length, then HelloRequest { name (field 1) = "bench" }.
export const HELLO_REQUEST_FRAME = Buffer.concat([
  Buffer.from([0, 0, 0, 0, NAME.length + 2, 0x0a, NAME.length]),
  NAME,
]);

export function grpcHelloOnce(port: number, authority?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.once('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': '/helloworld.Greeter/SayHello',
      ':authority': authority ?? `127.0.0.1:${port}`,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status: string | undefined;
    req.once('response', (headers) => {
      status ??= headers['grpc-status'] as string | undefined;
    });
    req.once('trailers', (trailers) => {
      status = trailers['grpc-status'] as string | undefined;
    });
    req.once('error', reject);
    req.resume();
    req.once('end', () => {
      session.close();
      if (status === '0') resolve();
      else reject(new Error(`SayHello answered grpc-status ${String(status)}`));
    });
    req.end(HELLO_REQUEST_FRAME);
  });
}
