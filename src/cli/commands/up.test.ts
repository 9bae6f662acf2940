import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { builtinFunctionSpec, PlatformClient } from '../../platform/index.js';
import { testSpec } from '../../platform/testing/index.js';
import { parseUpFlags } from './up.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Collects stdout until `pattern` matches; resolves with the match. */
function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  output: { text: string },
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output.text += chunk.toString();
      const match = pattern.exec(output.text);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`hivelab up exited (${code}) before printing ${pattern}: ${output.text}`)),
    );
  });
}

/** Runs the CLI with extra env; resolves with stdout, rejects with stderr. */
function cli(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(packageRoot, 'bin', 'hivelab.js'), ...args],
      { env: { ...process.env, HIVELAB_GATEWAY_URL: '', ...env } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe('hivelab up', () => {
  it('--upf says what hivelab does instead of REAP, and deploys a built-in with snapshot cold starts', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'hivelab-up-upf-'));
    dirs.push(data);
    const args = ['up', '--upf', '--port', '0', '--collector-port', '0', '--otlp-port', '0', '--data', data];
    const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'hivelab.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HIVELAB_LAB_FILE: path.join(data, 'current-lab.json') },
    });
    children.push(child);
    const output = { text: '' };
    // The lab line is printed last: everything before it is in the text by then.
    await waitForLine(child, /^lab: /m, output);
    const gateway = /gateway ready on (http:\/\/[^ ]+)/.exec(output.text)?.[1];
    expect(output.text).toMatch(/^upf: hivelab has no REAP/m);
    expect(output.text).toMatch(/^snapshots: every JavaScript function/m);
    const client = new PlatformClient(gateway!);
    const status = await client.deploy(builtinFunctionSpec('builtin:sleep', 'napper'));
    expect(status.coldStart).toBe('snapshot');
  }, 60_000);

  it('starts the collector and the gateway, serves a deployed function with spans, stops on SIGTERM', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'hivelab-up-'));
    dirs.push(data);
    const labFile = path.join(data, 'current-lab.json');
    const child = spawn(
      process.execPath,
      [
        path.join(packageRoot, 'bin', 'hivelab.js'),
        'up',
        '--port',
        '0',
        '--collector-port',
        '0',
        '--otlp-port',
        '0',
        '--data',
        data,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HIVELAB_LAB_FILE: labFile } },
    );
    children.push(child);
    const output = { text: '' };
    await waitForLine(child, /lab: .*\n/, output);
    const gatewayUrl = /gateway ready on (http:\/\/\S+)/.exec(output.text)![1]!;
    expect(output.text).toMatch(/collector ready: Zipkin http:\/\/127\.0\.0\.1:\d+\/api\/v2\/spans/);
    const collectorUrl = /Zipkin (http:\/\/\S+)\/api\/v2\/spans/.exec(output.text)![1]!;

    const client = new PlatformClient(gatewayUrl);
    await client.deploy(testSpec('uptest'));
    const response = await fetch(`${gatewayUrl}/fn/uptest/`);
    expect(response.status).toBe(200);
    const traceId = response.headers.get('x-hivelab-trace-id')!;
    // The gateway's spans reach the collector that `up` started.
    let found = 0;
    for (let i = 0; i < 100 && found === 0; i++) {
      const trace = await fetch(`${collectorUrl}/api/v2/trace/${traceId}`);
      if (trace.ok) found = ((await trace.json()) as unknown[]).length;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(found).toBeGreaterThanOrEqual(3);

    // Where it listens is written down: commands find the lab without flags.
    const lab = JSON.parse(await readFile(labFile, 'utf8')) as Record<string, unknown>;
    expect(lab).toMatchObject({
      pid: child.pid,
      gatewayUrl,
      zipkinUrl: `${collectorUrl}/api/v2/spans`,
      dataDir: data,
    });
    expect(JSON.parse(await readFile(path.join(data, 'lab.json'), 'utf8'))).toEqual(lab);
    const listed = await cli(['functions', '--json'], { HIVELAB_LAB_FILE: labFile });
    expect((JSON.parse(listed) as { name: string }[]).map((f) => f.name)).toEqual(['uptest']);
    // The hint `up` prints, -gatewayURL <domain>:<port>, deploys to that gateway.
    const functionsJson = path.join(data, 'functions.json');
    await writeFile(
      functionsJson,
      JSON.stringify({ functions: [{ name: 'hello', file: 'hello.yaml', count: 1 }] }),
    );
    await writeFile(
      path.join(data, 'hello.yaml'),
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  template:\n    spec:\n      containers:\n        - image: builtin:helloworld\n',
    );
    const port = new URL(gatewayUrl).port;
    const deployed = await cli(
      [
        'deploy',
        '-jsonFile',
        functionsJson,
        '-endpointsFile',
        path.join(data, 'endpoints.json'),
        '-gatewayURL',
        `localhost:${port}`,
      ],
      { HIVELAB_LAB_FILE: path.join(data, 'no-lab.json') },
    );
    expect(deployed).toMatch(/Deployment finished: 1 function ready/);
    expect(JSON.parse(await readFile(path.join(data, 'endpoints.json'), 'utf8'))).toEqual([
      { hostname: 'hello-0.default.localhost', eventing: false, matchers: null },
    ]);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(readFile(labFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('flag parsing', () => {
  const flags = {
    host: '127.0.0.1',
    port: '8080',
    collectorPort: '9411',
    otlpPort: '4318',
    data: 'd',
    domain: 'localhost',
  };

  it('accepts ports 0-65535 and names the flag otherwise', () => {
    expect(parseUpFlags({ ...flags, port: '0' }).port).toBe(0);
    expect(parseUpFlags(flags).collectorPort).toBe(9411);
    expect(() => parseUpFlags({ ...flags, port: '70000' })).toThrow(
      'invalid --port "70000": expected a port number (0-65535; 0 picks a free port)',
    );
    expect(() => parseUpFlags({ ...flags, collectorPort: 'http' })).toThrow(
      /invalid --collector-port "http": expected a port number/,
    );
  });

  it('accepts DNS names as the domain', () => {
    expect(parseUpFlags({ ...flags, domain: 'LocalHost' }).domain).toBe('localhost');
    expect(parseUpFlags({ ...flags, domain: '127.0.0.1.sslip.io' }).domain).toBe('127.0.0.1.sslip.io');
    expect(() => parseUpFlags({ ...flags, domain: 'bad domain' })).toThrow(
      /invalid --domain "bad domain": expected a DNS name/,
    );
  });
});
