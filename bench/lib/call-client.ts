/**
 * The warm-path client of bench/gateway-grpc, in a process of its own (as vHive's invoker
 * is): `calls` calls one after another on one connection, unary SayHello over one HTTP/2
 * session, or GET over one keep-alive HTTP/1.1 connection, each timed from its start to
 * the end of its answer. The bench forks its own bundle with `HIVELAB_BENCH_CALLS=1`:
 * `runCallClient` must run before the bench's main.
 */
import http from 'node:http';
import http2 from 'node:http2';
import { HELLO_REQUEST_FRAME } from './grpc-hello.js';

/** Where the calls go; `authority` routes them at the gateway. */
export type CallTarget = { kind: 'grpc' | 'http'; port: number; authority?: string };

function grpcCaller(target: CallTarget): { call(): Promise<void>; close(): void } {
  const session = http2.connect(`http://127.0.0.1:${target.port}`);
  const headers = {
    ':method': 'POST',
    ':path': '/helloworld.Greeter/SayHello',
    ':authority': target.authority ?? `127.0.0.1:${target.port}`,
    'content-type': 'application/grpc',
    te: 'trailers',
  };
  return {
    call: () =>
      new Promise((resolve, reject) => {
        const req = session.request(headers);
        let status: string | undefined;
        req.once('response', (h) => (status = h['grpc-status'] as string | undefined));
        req.once('trailers', (t) => (status = t['grpc-status'] as string | undefined));
        req.once('error', reject);
        req.resume();
        req.once('end', () =>
          status === '0' ? resolve() : reject(new Error(`SayHello answered grpc-status ${String(status)}`)),
        );
        req.end(HELLO_REQUEST_FRAME);
      }),
    close: () => session.close(),
  };
}

function httpCaller(target: CallTarget): { call(): Promise<void>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = target.authority ? { host: target.authority } : {};
  return {
    call: () =>
      new Promise((resolve, reject) => {
        const req = http.get(
          { host: '127.0.0.1', port: target.port, path: '/?name=bench', headers, agent },
          (res) => {
            res.resume();
            res.once('end', () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`)),
            );
          },
        );
        req.once('error', reject);
      }),
    close: () => agent.destroy(),
  };
}

/** In the child: runs the calls it is sent and answers their latencies. True when this is the child. */
export function runCallClient(): boolean {
  if (process.env.HIVELAB_BENCH_CALLS !== '1' || !process.send) return false;
  process.once('message', (message: { target: CallTarget; calls: number }) => void runCalls(message));
  process.on('disconnect', () => process.exit(0));
  return true;
}

async function runCalls(message: { target: CallTarget; calls: number }): Promise<void> {
  const caller = message.target.kind === 'grpc' ? grpcCaller(message.target) : httpCaller(message.target);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < message.calls; i++) {
      const t0 = performance.now();
      await caller.call();
      latencies.push(performance.now() - t0);
    }
    process.send!({ latencies });
  } catch (error) {
    process.send!({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    caller.close();
  }
}
