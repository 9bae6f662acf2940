import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { packageRoot } from '../../package-root.js';
import { openTraceStore } from '../../store/index.js';
import { parseTaiOffsetMs } from './envoy.js';

// Runs the built CLI (`npm run build` first, as `npm test` does) against a real collector
// on loopback, started in this process.
const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');
const EXCERPT = fileURLToPath(
  new URL('../../analysis/envoy/testing/fixtures/envoy-1.32-trace-excerpt.log', import.meta.url),
);
const TRACE_ID = '4512d3197fb849a9a314eb5769e3c674';
let collector: RunningCollector;
let dir: string;
let log: string;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    otlpPort: null,
    store: await openTraceStore({ kind: 'memory' }),
    log: () => undefined,
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-envoy-cli-'));
  log = path.join(dir, 'workload-1-5f7c9d8b6-abcde.log');
  await copyFile(EXCERPT, log);
});
afterAll(async () => {
  await collector.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hivelab envoy import', () => {
  it('--collector posts the spans to a real collector, where the trace is found with its stages', async () => {
    const { stdout } = await run(process.execPath, [
      bin,
      'envoy',
      'import',
      log,
      '--collector',
      collector.url,
    ]);
    expect(stdout).toContain(`1 sidecar stream → 10 spans to ${collector.url}`);
    const response = await fetch(`${collector.url}/api/v2/trace/${TRACE_ID}`);
    expect(response.status).toBe(200);
    const spans = (await response.json()) as Array<{
      name: string;
      tags?: Record<string, string>;
      localEndpoint?: { serviceName: string };
    }>;
    expect(spans).toHaveLength(10);
    expect(spans.every((span) => span.localEndpoint?.serviceName === 'workload-1')).toBe(true);
    expect(
      spans
        .map((span) => span.tags?.['sidecar.stage'])
        .filter(Boolean)
        .sort(),
    ).toEqual(
      [
        'connection',
        'downstream-parsing',
        'request-filters',
        'socket-waiting',
        'write',
        'process-time',
        'read',
        'upstream-parsing',
        'response-filters',
      ].sort(),
    );
    // Importing again gives the same ids: the collector still holds one copy.
    await run(process.execPath, [
      bin,
      'envoy',
      'import',
      log,
      '--collector',
      `${collector.url}/api/v2/spans`,
    ]);
    const again = (await (await fetch(`${collector.url}/api/v2/trace/${TRACE_ID}`)).json()) as unknown[];
    expect(again).toHaveLength(10);
  }, 60_000);

  it('--out writes a Zipkin v2 JSON array and reports bad lines by file:line', async () => {
    const bad = path.join(dir, 'bad.log');
    await writeFile(bad, (await readFile(EXCERPT, 'utf8')) + 'garbage here\n');
    const out = path.join(dir, 'spans.json');
    const { stdout } = await run(process.execPath, [
      bin,
      'envoy',
      'import',
      bad,
      '--out',
      out,
      '--service',
      'gw',
    ]);
    expect(stdout).toContain('1 line not understood');
    expect(stdout).toMatch(/bad\.log:\d+: unparseable line: "garbage here"/);
    const spans = JSON.parse(await readFile(out, 'utf8')) as Array<{
      localEndpoint: { serviceName: string };
    }>;
    expect(spans).toHaveLength(10);
    expect(spans[0]!.localEndpoint.serviceName).toBe('gw');
  });

  it('fails with a reason when the collector is not there, and for a missing file', async () => {
    const dead = await run(process.execPath, [
      bin,
      'envoy',
      'import',
      log,
      '--collector',
      'http://127.0.0.1:1',
      '--max-tries',
      '2',
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(dead).toMatchObject({ code: 1, stderr: expect.stringContaining('error while posting spans') });
    const missing = await run(process.execPath, [bin, 'envoy', 'import', path.join(dir, 'nope.log')]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
  }, 60_000);

  it('parses --tai-offset', () => {
    expect(parseTaiOffsetMs('37s')).toBe(37_000);
    expect(parseTaiOffsetMs('36500ms')).toBe(36_500);
    expect(parseTaiOffsetMs('0')).toBe(0);
    expect(() => parseTaiOffsetMs('soon')).toThrow(/expected seconds/);
  });
});
