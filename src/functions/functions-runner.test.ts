/**
 * End to end: each built-in, compiled to dist/, hosted by the real runtime runner in a child
 * process, called over real HTTP/1.1 and gRPC (@grpc/grpc-js) on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinModulePath } from '../platform/index.js';
import { READY_LINE_PREFIX, runtimeRunnerPath } from '../platform/testing/index.js';
import { HELLOWORLD_PROTO_PATH } from './index.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the runner on an ephemeral port and resolves with the port it reports. */
function startRunner(name: string, protocol: 'http1' | 'h2c'): Promise<number> {
  const child = spawn(process.execPath, [runtimeRunnerPath(), builtinModulePath(name)], {
    env: { ...process.env, PORT: '0', HIVELAB_PROTOCOL: protocol, HIVELAB_FUNCTION_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(READY_LINE_PREFIX))
        resolve((JSON.parse(line.slice(READY_LINE_PREFIX.length)) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`runner exited with ${code}: ${stderr}`)));
  });
}

function grpcSayHello(port: number, name: string): Promise<{ message: string }> {
  const definition = protoLoader.loadSync(HELLOWORLD_PROTO_PATH, { keepCase: true });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    helloworld: { Greeter: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client };
  };
  const client = new pkg.helloworld.Greeter(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as grpc.Client & {
    SayHello(
      request: { name: string },
      callback: (error: grpc.ServiceError | null, reply: { message: string }) => void,
    ): void;
  };
  return new Promise((resolve, reject) => {
    client.SayHello({ name }, (error, reply) => {
      client.close();
      if (error) reject(error);
      else resolve(reply);
    });
  });
}

describe('built-ins under the runtime runner', () => {
  it('helloworld answers gRPC SayHello over h2c', async () => {
    const port = await startRunner('helloworld', 'h2c');
    expect(await grpcSayHello(port, 'runner')).toEqual({ message: 'Hello, runner!' });
  });

  it('aes answers gRPC SayHello over h2c', async () => {
    const port = await startRunner('aes', 'h2c');
    expect((await grpcSayHello(port, 'abc')).message).toMatch(
      /^fn: AES \| plaintext: abc \| ciphertext: [0-9a-f]{6}$/,
    );
  });

  it('helloworld, trace-func and sleep answer HTTP/1.1', async () => {
    const [hello, trace, sleeper] = await Promise.all([
      startRunner('helloworld', 'http1'),
      startRunner('trace-func', 'http1'),
      startRunner('sleep', 'http1'),
    ]);
    expect(await (await fetch(`http://127.0.0.1:${hello}/?name=http`)).text()).toBe('Hello, http!');
    const traced = await fetch(`http://127.0.0.1:${trace}/`, {
      method: 'POST',
      body: JSON.stringify({ durationMs: 20, memoryMb: 4 }),
    });
    expect(await traced.json()).toMatchObject({ memoryMb: 4 });
    const slept = await fetch(`http://127.0.0.1:${sleeper}/?ms=20`);
    expect(((await slept.json()) as { sleptMs: number }).sleptMs).toBeGreaterThanOrEqual(19);
    expect((await fetch(`http://127.0.0.1:${sleeper}/?ms=-1`)).status).toBe(400);
  });
});
