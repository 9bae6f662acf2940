/**
 * `hivelab deploy`, `functions` and `delete` through the built CLI (bin/hivelab.js), with
 * vHive's single-dash flags, against a real platform on an ephemeral port.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { startPlatform, type FunctionStatus } from '../../platform/index.js';
import { parseFunctionRef } from './delete.js';
import { formatFunctionsTable } from './functions.js';

const run = promisify(execFile);
const examples = path.join(packageRoot, 'examples');

async function hivelab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [
      path.join(packageRoot, 'bin', 'hivelab.js'),
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let platform: Awaited<ReturnType<typeof startPlatform>>;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-cli-deploy-'));
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hivelab deploy / functions / delete', () => {
  it('deploys with vHive flags, lists, deletes one, deletes all', { timeout: 120_000 }, async () => {
    const endpointsFile = path.join(dir, 'endpoints.json');
    const deployed = await hivelab([
      'deploy',
      '-jsonFile',
      path.join(examples, 'functions.json'),
      '-endpointsFile',
      endpointsFile,
      '-conc',
      '2',
      '-gatewayURL',
      'localhost',
      '--gateway',
      platform.url,
    ]);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/Deployment finished: 3 functions ready/);
    const endpoints = JSON.parse(await readFile(endpointsFile, 'utf8')) as { hostname: string }[];
    expect(endpoints.map((e) => e.hostname)).toEqual([
      'helloworld-0.default.localhost',
      'pyaes-0.default.localhost',
      'pyaes-1.default.localhost',
    ]);

    const table = await hivelab(['functions', '--gateway', platform.url]);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME +URL +READY +DESIRED +COLD-STARTS +COLD-REQUESTS +MODE +SANDBOX$/);
    expect(lines.slice(1).map((line) => line.split(/ +/)[0])).toEqual(['helloworld-0', 'pyaes-0', 'pyaes-1']);

    expect((await hivelab(['delete', 'pyaes-1', '--gateway', platform.url])).stdout).toContain(
      'Deleted pyaes-1',
    );
    const listed = JSON.parse(
      (await hivelab(['functions', '--json', '--gateway', platform.url])).stdout,
    ) as FunctionStatus[];
    expect(listed.map((f) => f.name)).toEqual(['helloworld-0', 'pyaes-0']);

    const missing = await hivelab(['delete', 'pyaes-1', '--gateway', platform.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: error while deleting default\/pyaes-1/);

    expect((await hivelab(['delete', '--all', '--gateway', platform.url])).code).toBe(0);
    expect(platform.list()).toEqual([]);
  });

  it.each([
    [['deploy', '-conc', '0'], 'invalid -conc "0": expected a positive integer'],
    [['deploy', '-namespace', 'Lab'], 'invalid -namespace "Lab": expected a DNS label'],
    [
      ['deploy', '--gateway', 'localhost:8080'],
      'invalid -gateway "localhost:8080": expected the gateway base URL',
    ],
    [
      ['deploy', '-jsonFile', '/nonexistent/functions.json', '--gateway', 'http://127.0.0.1:9'],
      'error while reading /nonexistent/functions.json',
    ],
    [['delete', '--gateway', 'http://127.0.0.1:9'], 'give one of a function NAME, --all or -f FILE|DIR'],
    [
      ['functions', '--gateway', 'http://127.0.0.1:9'],
      'cannot reach the hivelab gateway at http://127.0.0.1:9',
    ],
  ])('%j fails with a clear message', async (args, expected) => {
    const result = await hivelab(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(expected);
  });
});

describe('formatFunctionsTable', () => {
  const status = (name: string, namespace = 'default'): FunctionStatus => ({
    name,
    namespace,
    url: `http://${name}.${namespace}.localhost:8080`,
    image: 'builtin:helloworld',
    sandbox: 'process',
    coldStart: 'boot',
    protocol: 'h2c',
    readyInstances: 1,
    desiredInstances: 2,
    coldStarts: 3,
    coldRequests: 4,
    requests: 10,
  });

  it('pads columns like kn and shows a namespace only when not default', () => {
    expect(formatFunctionsTable([status('hello-0'), status('p', 'lab')])).toBe(
      [
        'NAME      URL                                     READY   DESIRED   COLD-STARTS   COLD-REQUESTS   MODE   SANDBOX',
        'hello-0   http://hello-0.default.localhost:8080   1       2         3             4               boot   process',
        'p.lab     http://p.lab.localhost:8080             1       2         3             4               boot   process',
      ].join('\n'),
    );
    expect(formatFunctionsTable([])).toBe('No functions found.');
  });

  it.each([
    ['hello-0', { name: 'hello-0', namespace: 'default' }],
    ['hello-0.lab', { name: 'hello-0', namespace: 'lab' }],
  ])('parses %s', (ref, expected) => {
    expect(parseFunctionRef(ref, 'default')).toEqual(expected);
  });
});
