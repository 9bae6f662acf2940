/**
 * A booted gRPC instance of the built-in helloworld serves SayHello without loading
 * @grpc/grpc-js, @grpc/proto-loader or protobufjs (~90 ms of CPU at every cold start):
 * timing-free evidence from a preloaded probe that prints the instance's `require.cache`
 * as it exits, after it answered a real grpc-js client. The same probe under
 * HIVELAB_GRPC_HOST=grpc-js shows that it does see grpc-js when it is loaded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModulePath } from '../function-spec/index.js';
import { READY_LINE_PREFIX, runtimeRunnerPath } from './index.js';

const PROBE_PREFIX = 'HIVELAB_TEST_MODULES ';
const PROBE = `
const { writeSync } = require('node:fs');
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((m) => /@grpc|protobufjs/.test(m));
  writeSync(1, ${JSON.stringify(PROBE_PREFIX)} + JSON.stringify(loaded.length) + '\\n');
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-grpc-path-'));
  await writeFile(path.join(dir, 'probe.cjs'), PROBE);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** SayHello with a bare grpc-js client (raw bytes: field 1 is the name, and the reply's message). */
function sayHello(port: number, name: string): Promise<string> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const encode = (text: string): Buffer => {
    const bytes = Buffer.from(text);
    return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
  };
  return new Promise<string>((resolve, reject) =>
    client.makeUnaryRequest(
      '/helloworld.Greeter/SayHello',
      encode,
      (reply: Buffer) => reply.subarray(2).toString(),
      name,
      (error, reply) => (error ? reject(error) : resolve(reply ?? '')),
    ),
  ).finally(() => client.close());
}

/** Boots helloworld over h2c with the probe, calls SayHello, stops it; the reply and the count. */
async function bootCallProbe(env: Record<string, string>): Promise<{ reply: string; grpcModules: number }> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(dir, 'probe.cjs'), runtimeRunnerPath(), builtinModulePath('helloworld')],
    {
      env: { ...process.env, PORT: '0', HIVELAB_PROTOCOL: 'h2c', HIVELAB_ZIPKIN_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const probed = new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith(PROBE_PREFIX)) resolve(Number(line.slice(PROBE_PREFIX.length)));
    });
    child.once('close', (code) => reject(new Error(`runner exited with ${code} and no probe line`)));
  });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith(READY_LINE_PREFIX))
        resolve((JSON.parse(line.slice(READY_LINE_PREFIX.length)) as { port: number }).port);
    });
    child.once('close', (code) => reject(new Error(`runner exited with ${code} before ready`)));
  });
  let reply: string;
  try {
    reply = await sayHello(port, 'probe');
  } finally {
    child.kill('SIGTERM');
  }
  return { reply, grpcModules: await probed };
}

describe('the gRPC cold path', () => {
  it('serves helloworld over h2c without loading grpc-js, proto-loader or protobufjs', async () => {
    const { reply, grpcModules } = await bootCallProbe({});
    expect(reply).toBe('Hello, probe!');
    expect(grpcModules).toBe(0);
  }, 60_000);

  it('the probe does see grpc-js when the instance is told to use it', async () => {
    const { reply, grpcModules } = await bootCallProbe({ HIVELAB_GRPC_HOST: 'grpc-js' });
    expect(reply).toBe('Hello, probe!');
    expect(grpcModules).toBeGreaterThan(10);
  }, 60_000);
});
