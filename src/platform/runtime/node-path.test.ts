/**
 * A booted instance of the built-in helloworld (a `node` handler) never loads undici, the
 * module behind the web `Request`/`Response`/`Headers`/`fetch` globals (~25 ms of Node 20
 * boot), nor node:https. Timing-free evidence: a preloaded probe prints the instance's
 * `process.moduleLoadList` as it exits, after it has answered requests. A web `fetch`
 * function under the same probe shows that the probe does see undici when it is loaded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModulePath } from '../function-spec/index.js';
import { READY_LINE_PREFIX, runtimeRunnerPath } from './index.js';

const PROBE_PREFIX = 'HIVELAB_TEST_MODULES ';
const PROBE = `
const { writeSync } = require('node:fs');
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => m.includes('undici') || m === 'NativeModule https');
  writeSync(1, ${JSON.stringify(PROBE_PREFIX)} + JSON.stringify(loaded) + '\\n');
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-node-path-'));
  await writeFile(path.join(dir, 'probe.cjs'), PROBE);
  await writeFile(
    path.join(dir, 'web-function.mjs'),
    "export default { fetch: () => new Response('web') };\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Boots `handlerModule` under the runner with the probe, sends `requests` (path, body), stops
 * it with SIGTERM as the platform does, and resolves with the answers and the probed modules.
 */
async function bootAndProbe(
  handlerModule: string,
  requests: { path: string; body?: string }[],
): Promise<{ answers: string[]; modules: string[] }> {
  const child = spawn(
    process.execPath,
    ['-r', path.join(dir, 'probe.cjs'), runtimeRunnerPath(), handlerModule],
    {
      env: { ...process.env, PORT: '0', HIVELAB_FUNCTION_NAME: 'probe', HIVELAB_ZIPKIN_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const probed = new Promise<string[]>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith(PROBE_PREFIX)) resolve(JSON.parse(line.slice(PROBE_PREFIX.length)) as string[]);
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
  const answers: string[] = [];
  try {
    for (const request of requests) {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
        method: request.body === undefined ? 'GET' : 'POST',
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      answers.push(await response.text());
    }
  } finally {
    child.kill('SIGTERM');
  }
  return { answers, modules: await probed };
}

describe('the Node-native path', () => {
  it('a booted helloworld answers without ever loading undici or node:https', async () => {
    const { answers, modules } = await bootAndProbe(builtinModulePath('helloworld'), [
      { path: '/?name=probe' },
      { path: '/', body: '{"name":"json"}' },
    ]);
    expect(answers).toEqual(['Hello, probe!', 'Hello, json!']);
    expect(modules).toEqual([]);
  });

  it('the probe does see undici in an instance of a web fetch function', async () => {
    const { answers, modules } = await bootAndProbe(path.join(dir, 'web-function.mjs'), [{ path: '/' }]);
    expect(answers).toEqual(['web']);
    expect(modules).toContain('NativeModule internal/deps/undici/undici');
  });
});
