import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeZipkinJson, type Span } from '../../spans/index.js';
import { startCollector, type RunningCollector } from '../start-collector.js';

/**
 * 30 traces, 1 s apart, ending a minute ago:
 *   gw:get /x (SERVER) ─ gw:call (CLIENT) ─ fn:handle (SERVER, cpu.ms)
 * trace 7 has a slow fn (10 ms instead of ~1).
 */
const NOW_US = Date.now() * 1000;
function trace(i: number): Span[] {
  const traceId = (0xbeef0000 + i).toString(16).padStart(16, '0');
  const t = NOW_US - 60_000_000 - (30 - i) * 1_000_000;
  const fnUs = i === 7 ? 10_000 : 1000 + (i % 5) * 10;
  return [
    {
      traceId,
      id: `${traceId.slice(0, 15)}1`,
      name: 'get /x',
      kind: 'SERVER',
      timestamp: t,
      duration: fnUs + 200,
      localEndpoint: { serviceName: 'gw' },
    },
    {
      traceId,
      id: `${traceId.slice(0, 15)}2`,
      parentId: `${traceId.slice(0, 15)}1`,
      name: 'call',
      kind: 'CLIENT',
      timestamp: t + 50,
      duration: fnUs + 100,
      localEndpoint: { serviceName: 'gw' },
      remoteEndpoint: { serviceName: 'fn' },
    },
    {
      traceId,
      id: `${traceId.slice(0, 15)}3`,
      parentId: `${traceId.slice(0, 15)}2`,
      name: 'handle',
      kind: 'SERVER',
      timestamp: t + 100,
      duration: fnUs,
      localEndpoint: { serviceName: 'fn' },
      tags: { 'cpu.ms': '0.5' },
    },
  ];
}

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-api-'));
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startCollector({ port: 0, otlpPort: null, dataDir: root, log: () => {} });
  const body = encodeZipkinJson(Array.from({ length: 30 }, (_, i) => trace(i)).flat());
  const response = await fetch(`${collector.url}/api/v2/spans`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(202);
});

afterAll(async () => {
  await collector.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (p: string): Promise<Response> => fetch(`${collector.url}${p}`);

describe('/api/hivelab', () => {
  it('GET /api/hivelab/types answers the types shape', async () => {
    const response = await get('/api/hivelab/types?lookback=1h');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { types: Record<string, unknown>[] };
    expect(body.types.length).toBe(1);
    const row = body.types[0]!;
    expect(row.key).toBe('gw:get /x → fn:handle');
    expect(row.count).toBe(30);
    expect(Object.keys(row.durationMs as object)).toEqual(
      expect.arrayContaining(['p50', 'p90', 'p99', 'max', 'mean', 'std']),
    );
    expect((row.cpuMs as { p50: number }).p50).toBe(0.5);
    expect(row.criticalPath).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: 'fn', operation: 'handle' })]),
    );
    expect((row.exampleTraceIds as string[])[1]).toBe(trace(7)[0]!.traceId);
  });

  it('GET /api/hivelab/anomalies flags the slow trace with its culprit; window mode answers suspects', async () => {
    const body = (await (await get('/api/hivelab/anomalies?metric=duration')).json()) as {
      anomalies: { traceId: string; culprit: { service: string; spanId: string } }[];
      skipped: unknown[];
    };
    expect(body.anomalies[0]?.traceId).toBe(trace(7)[0]!.traceId);
    expect(body.anomalies[0]?.culprit.service).toBe('fn');
    expect(body.anomalies[0]?.culprit.spanId).toBe(trace(7)[2]!.id);
    // withTypes: both shapes in one answer, from one pass.
    const both = (await (await get('/api/hivelab/anomalies?metric=duration&withTypes=true')).json()) as {
      types: unknown[];
    };
    const types = (await (await get('/api/hivelab/types')).json()) as { types: unknown[] };
    expect(both).toEqual({ ...body, types: types.types });
    const start = Math.floor(NOW_US / 1000) - 200_000;
    const mid = Math.floor(NOW_US / 1000) - 75_000;
    const windowed = (await (
      await get(`/api/hivelab/anomalies?baseline=${start}..${mid}&window=${mid}..${Date.now()}&minCount=5`)
    ).json()) as { suspects: unknown[] };
    expect(Array.isArray(windowed.suspects)).toBe(true);
  });

  it('GET /api/hivelab/traces/{id}/analysis answers the trace shape, 404 for an unknown id', async () => {
    const id = trace(3)[0]!.traceId;
    const body = (await (await get(`/api/hivelab/traces/${id}/analysis`)).json()) as {
      traceId: string;
      spans: { selfTimeUs: number; onCriticalPath: boolean }[];
      criticalPath: unknown[];
      byOperation: unknown[];
    };
    expect(body.traceId).toBe(id);
    expect(body.spans.length).toBe(3);
    expect(body.spans.every((s) => typeof s.selfTimeUs === 'number' && s.onCriticalPath)).toBe(true);
    expect(body.byOperation.length).toBe(3);
    // spans=times: the same analysis, each span as its id and times only.
    const times = (await (await get(`/api/hivelab/traces/${id}/analysis?spans=times`)).json()) as typeof body;
    expect(times.spans.map((s) => Object.keys(s).sort())).toEqual(
      Array.from({ length: 3 }, () => ['criticalPathUs', 'depth', 'id', 'onCriticalPath', 'selfTimeUs']),
    );
    expect(times.criticalPath).toEqual(body.criticalPath);
    expect((await get('/api/hivelab/traces/ffffffffffffffff/analysis')).status).toBe(404);
    expect((await get(`/api/hivelab/traces/${id}/analysis?spans=some`)).status).toBe(400);
  });

  it.each([
    ['/api/hivelab/types?lookback=soon', /lookback/],
    ['/api/hivelab/types?key=shape', /key/],
    ['/api/hivelab/types?limit=-3', /limit/],
    ['/api/hivelab/anomalies?method=zscore', /method/],
    ['/api/hivelab/anomalies?metric=latency', /metric/],
    ['/api/hivelab/anomalies?withTypes=yes', /withTypes/],
    ['/api/hivelab/anomalies?baseline=1..2', /window/],
    ['/api/hivelab/anomalies?baseline=5..2&window=6..9', /baseline/],
    ['/api/hivelab/traces/xyz/analysis', /trace id/],
  ])('%s answers 400 naming the parameter', async (url, name) => {
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(name);
  });
});
