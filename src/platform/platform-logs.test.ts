/**
 * Instance logs end to end with real processes: a platform, functions in the process and
 * worker sandboxes, the admin API's logs route as `hivelab logs` uses it, a crashed
 * instance's logs, a deploy that failed, and following (`-f`), by the client and the CLI.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import type { PlatformClient } from './admin-client.js';
import type { LogsRequest } from './admin-client.js';
import { startPlatform } from './platform.js';
import type { RunningPlatform } from './platform.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';
import { testFunctionPath } from './sandbox/testing/sandbox.contract.js';
import { runtimeRunnerPath } from './runtime/index.js';

/** A plain server (no hivelab runner): says when it starts, logs each request, crashes on /crash. */
const CHATTY_SERVER = `
const http = require('node:http');
if (process.env.FAIL_AT_START === '1') { console.error('cannot start: missing CONFIG'); process.exit(1); }
http.createServer((req, res) => {
  console.log('request ' + req.method + ' ' + req.url);
  if (req.url === '/crash') { res.end('crashing'); setImmediate(() => { throw new Error('crashed on purpose'); }); return; }
  res.end('ok');
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('started on ' + process.env.PORT));
`;

let dir: string;
let platform: RunningPlatform;
let client: PlatformClient;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-logs-e2e-'));
  script = path.join(dir, 'chatty.cjs');
  await writeFile(script, CHATTY_SERVER);
  platform = await startPlatform({ port: 0, stateDir: path.join(dir, 'state'), log: () => undefined });
  client = platform.client;
});
afterAll(async () => {
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

function chattySpec(name: string, env: Record<string, string> = {}) {
  return { ...testSpec(name, { env }), command: [process.execPath, script], workingDir: dir };
}

async function logs(name: string, query: LogsRequest = {}): Promise<string> {
  let text = '';
  await client.logs('default', name, query, (chunk) => (text += chunk));
  return text;
}

async function invoke(name: string, pathAndQuery: string): Promise<string> {
  const response = await request(platform.url, `/fn/${name}${pathAndQuery}`);
  return String(response.headers['x-hivelab-instance-id']);
}

describe('hivelab logs through the admin API', () => {
  it("keeps a process instance's stdout and stderr, and a crashed instance's after it is replaced", async () => {
    await platform.deploy(chattySpec('chatty'));
    const first = await invoke('chatty', '/hello');
    await waitFor('the request line', async () =>
      (await logs('chatty', { instance: first })).includes('request GET /hello'),
    );
    const own = await logs('chatty', { instance: first });
    // The readiness probe's GET / is the first request the server sees.
    expect(own).toMatch(/^started on \d+\nrequest GET \/\nrequest GET \/hello\n$/);

    await invoke('chatty', '/crash');
    await waitFor('a replacement instance', () => platform.list()[0]!.coldStarts >= 2, 30_000);
    const crashed = await logs('chatty', { instance: first });
    expect(crashed).toContain('request GET /crash');
    expect(crashed).toContain('Error: crashed on purpose');
    const second = await invoke('chatty', '/again');
    expect(second).not.toBe(first);

    // Every instance, each line prefixed with its instance, in time order.
    await waitFor('both instances', async () =>
      (await logs('chatty')).includes(`[${second}] request GET /again`),
    );
    const all = (await logs('chatty')).split('\n');
    expect(all.indexOf(`[${first}] request GET /hello`)).toBeLessThan(
      all.indexOf(`[${second}] request GET /again`),
    );
    expect(all).toContain(`[${first}] Error: crashed on purpose`);
    // --tail and --timestamps.
    expect(await logs('chatty', { instance: second, tail: 1 })).toBe('request GET /again\n');
    expect(await logs('chatty', { instance: second, tail: 1, timestamps: true })).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z request GET \/again\n$/,
    );
  }, 60_000);

  it('names the instances that have logs for an unknown one, and refuses a bad --since', async () => {
    await expect(logs('chatty', { instance: 'chatty-nope' })).rejects.toThrow(
      /no logs of instance chatty-nope of default\/chatty; instances with logs: chatty-\w+ \(crashed: .*crashed on purpose/,
    );
    await expect(logs('chatty', { since: 'ten minutes' })).rejects.toThrow(
      /since: expected a duration such as 30s, 10m or 1h, got "ten minutes" \(HTTP 400\)/,
    );
    await expect(logs('never-deployed')).rejects.toThrow(
      /no function default\/never-deployed and no logs of it \(HTTP 404\)/,
    );
  });

  it('keeps the output of a deploy that failed: why it did not start', async () => {
    await expect(platform.deploy(chattySpec('broken', { FAIL_AT_START: '1' }))).rejects.toThrow();
    expect(await logs('broken')).toMatch(/^\[broken-\w+\] cannot start: missing CONFIG$/m);
  }, 30_000);

  it("keeps a worker instance's output", async () => {
    await platform.deploy({
      ...testSpec('threaded'),
      sandbox: 'worker',
      command: [process.execPath, runtimeRunnerPath(), testFunctionPath],
      handlerModule: testFunctionPath,
      workingDir: path.dirname(testFunctionPath),
    });
    await invoke('threaded', '/log?out=from-the-worker&err=worker-warning');
    await waitFor('the worker lines', async () => (await logs('threaded')).includes('worker-warning'));
    expect(await logs('threaded')).toMatch(/\] from-the-worker\n(.*\n)*\[threaded-\w+\] worker-warning\n/);
  }, 30_000);

  it('follows: new lines arrive as they are written; one instance is followed until it ends', async () => {
    const id = await invoke('chatty', '/before');
    let all = '';
    const abort = new AbortController();
    const following = client.logs('default', 'chatty', { follow: true }, (t) => (all += t), abort.signal);
    await waitFor('the lines so far', () => all.includes(`[${id}] request GET /before`));
    await invoke('chatty', '/while-following');
    await waitFor('the new line', () => all.includes(`[${id}] request GET /while-following`));

    let one = '';
    const followingOne = client.logs('default', 'chatty', { instance: id, follow: true }, (t) => (one += t));
    await waitFor('its lines so far', () => one.includes('request GET /while-following'));
    await invoke('chatty', '/crash');
    await followingOne; // ends with the instance
    expect(one).toContain('Error: crashed on purpose');
    abort.abort();
    await following;
    expect(all).toContain(`[${id}] Error: crashed on purpose`);
  }, 60_000);
});

describe('hivelab logs (CLI), finding the lab through lab.json', () => {
  const labFile = (): string => path.join(dir, 'lab.json');
  const cliEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    HIVELAB_GATEWAY_URL: '',
    HIVELAB_LAB_FILE: labFile(),
  });
  const bin = path.join(packageRoot, 'bin', 'hivelab.js');

  beforeAll(async () => {
    // This test process plays `hivelab up`: the lab file names its pid and gateway.
    await writeFile(
      labFile(),
      JSON.stringify({
        pid: process.pid,
        gatewayUrl: platform.url,
        collectorUrl: '',
        zipkinUrl: '',
        dataDir: dir,
        domain: 'localhost',
        startedAt: new Date().toISOString(),
      }),
    );
  });

  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { env: cliEnv() }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('prints one instance, and refuses a bad --since naming the flag', async () => {
    const id = await invoke('chatty', '/from-the-cli');
    await waitFor('the line', async () => (await logs('chatty', { instance: id })).includes('/from-the-cli'));
    const printed = await run(['logs', 'chatty', '--instance', id]);
    expect(printed.stdout).toContain('request GET /from-the-cli\n');
    expect(printed.code).toBe(0);
    const bad = await run(['logs', 'chatty', '--since', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid --since "soon": expected a duration such as 30s, 10m or 1h/);
  }, 30_000);

  it('-f follows until Ctrl-C', async () => {
    const id = await invoke('chatty', '/cli-before');
    const child = spawn(process.execPath, [bin, 'logs', 'chatty', '-f'], {
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitFor('the lines so far', () => out.includes(`[${id}] request GET /cli-before`));
    await invoke('chatty', '/cli-while-following');
    await waitFor('the followed line', () => out.includes(`[${id}] request GET /cli-while-following`));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 30_000);
});
