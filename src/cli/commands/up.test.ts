import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { PlatformClient } from '../../platform/index.js';
import { testSpec } from '../../platform/platform.test-kit.js';
import { parseDomain, parsePort } from './up.js';

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

describe('hivelab up', () => {
  it('starts the collector and the gateway, serves a deployed function with spans, stops on SIGTERM', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'hivelab-up-'));
    dirs.push(data);
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
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const output = { text: '' };
    await waitForLine(child, /deploy: hivelab deploy -jsonFile functions\.json.*\n/, output);
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

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('flag parsing', () => {
  it('accepts ports 0-65535 and names the flag otherwise', () => {
    expect(parsePort('0', '--port')).toBe(0);
    expect(parsePort('8080', '--port')).toBe(8080);
    expect(() => parsePort('70000', '--port')).toThrow(/--port must be a port number/);
    expect(() => parsePort('http', '--collector-port')).toThrow(/--collector-port must be a port number/);
  });

  it('accepts DNS names as the domain', () => {
    expect(parseDomain('LocalHost')).toBe('localhost');
    expect(parseDomain('127.0.0.1.sslip.io')).toBe('127.0.0.1.sslip.io');
    expect(() => parseDomain('bad domain')).toThrow(/--domain must be a DNS name/);
  });
});
