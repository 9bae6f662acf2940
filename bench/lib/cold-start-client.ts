/**
 * The end-to-end row's client in a process of its own, as a user's invoker is (`hivelab
 * invoke`, vHive's invoker) a process apart from `hivelab up`. In the bench's own process
 * the client's CPU (connect, write, parse the answer) and the gateway's serialise on one
 * event loop, which no user sees; the driver-level row's client and instance are two
 * processes as well. The child times request → response itself, on a fresh connection per
 * request (vHive's invoker dials inside its timed function), and reports the figure over
 * IPC, so the IPC hop is outside the timing.
 *
 * The child is this same bundle run again with `HIVELAB_BENCH_CLIENT=1`: `runClientChild`
 * must be called before the bench's own main.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { getOnce } from './http-once.js';
import { grpcHelloOnce } from './grpc-hello.js';

export const CLIENT_ENV = 'HIVELAB_BENCH_CLIENT';

/** One request for the child: HTTP GET of `url`, or SayHello at `port` with `authority`. */
export type ClientRequest = { kind: 'http'; url: string } | { kind: 'grpc'; port: number; authority: string };

interface ClientAnswer {
  id: number;
  ms?: number;
  status?: number;
  error?: string;
}

export interface ClientProcess {
  /** Request → response as the child timed it, in ms, and the answer's status (gRPC ok: 200). */
  time(request: ClientRequest): Promise<{ ms: number; status: number }>;
  close(): Promise<void>;
}

async function once(request: ClientRequest): Promise<number> {
  if (request.kind === 'http') return getOnce(request.url);
  await grpcHelloOnce(request.port, request.authority);
  return 200;
}

/** In the child: answers timing requests until the parent goes away. True when this is the child. */
export function runClientChild(): boolean {
  if (process.env[CLIENT_ENV] !== '1' || !process.send) return false;
  process.on('message', (message: { id: number; request: ClientRequest }) => {
    const t0 = performance.now();
    once(message.request).then(
      (status) => process.send!({ id: message.id, ms: performance.now() - t0, status }),
      (error: unknown) =>
        process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  // Load both clients before the first timed request, as the bench's own process does.
  void Promise.allSettled([getOnce('http://127.0.0.1:1/'), grpcHelloOnce(1)]).then(() =>
    process.send!({ id: 0 }),
  );
  return true;
}

/** Starts the client process (this bundle, `script`), resolved once its clients are loaded. */
export async function startClientProcess(script: string): Promise<ClientProcess> {
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, [CLIENT_ENV]: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (a: ClientAnswer) => void; reject: (e: Error) => void }>();
  child.on('message', (answer: ClientAnswer) => {
    waiting.get(answer.id)?.resolve(answer);
    waiting.delete(answer.id);
  });
  child.once('exit', (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`the bench client process exited (${code})`));
    waiting.clear();
  });
  const ask = (id: number, request?: ClientRequest): Promise<ClientAnswer> =>
    new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      if (request) child.send({ id, request });
    });
  await ask(0);
  let seq = 1;
  return {
    async time(request) {
      const answer = await ask(seq++, request);
      if (answer.error !== undefined || answer.ms === undefined) throw new Error(answer.error);
      return { ms: answer.ms, status: answer.status ?? 0 };
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}
