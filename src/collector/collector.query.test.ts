/**
 * The query APIs over a small ingested trace set, sent as Zipkin JSON, gzip JSON and
 * proto3. The test trace:
 *
 *   frontend  SERVER "get /hotels" ───────────────────────── 10 ms
 *     frontend CLIENT "search"  (remote: search) ──────── 6 ms
 *       search  SERVER "search" (http.method=GET) ────── 5 ms
 *   plus a second, unrelated trace: search SERVER "nearby" 1 ms
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are checked field by field. */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeZipkinProto } from '../spans/index.js';
import { openTraceStore } from '../store/index.js';
import type { RunningCollector } from './index.js';
import { startCollector } from './index.js';
import { makeSpan, uniqueHexId } from '../spans/testing/index.js';

let collector: RunningCollector;
const t0 = Date.now() * 1000 - 5_000_000;
const traceA = `${uniqueHexId()}${uniqueHexId()}`;
const root = makeSpan({ traceId: traceA, name: 'get /hotels', timestamp: t0, duration: 10_000 });
const client = makeSpan({
  traceId: traceA,
  parentId: root.id,
  name: 'search',
  kind: 'CLIENT',
  timestamp: t0 + 1_000,
  duration: 6_000,
  remoteEndpoint: { serviceName: 'search' },
  tags: {},
});
const server = makeSpan({
  traceId: traceA,
  parentId: client.id,
  name: 'search',
  timestamp: t0 + 1_500,
  duration: 5_000,
  localEndpoint: { serviceName: 'search' },
  tags: { 'http.method': 'GET', 'http.path': '/search' },
});
const other = makeSpan({
  name: 'nearby',
  duration: 1_000,
  localEndpoint: { serviceName: 'search' },
  tags: {},
});

async function get(path: string): Promise<any> {
  const res = await fetch(`${collector.url}${path}`);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  return JSON.parse(text);
}

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    otlpPort: null,
    store: await openTraceStore({ kind: 'memory' }),
    log: () => undefined,
  });
  const post = (body: string | Uint8Array, headers: Record<string, string>): Promise<Response> =>
    fetch(`${collector.url}/api/v2/spans`, { method: 'POST', body, headers });
  expect((await post(JSON.stringify([root]), { 'content-type': 'application/json' })).status).toBe(202);
  const gz = zlib.gzipSync(JSON.stringify([client]));
  expect((await post(gz, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(
    202,
  );
  expect(
    (await post(encodeZipkinProto([server, other]), { 'content-type': 'application/x-protobuf' })).status,
  ).toBe(202);
});
afterAll(() => collector?.close());

describe('Zipkin v2 query API', () => {
  it('lists services, span names and remote services', async () => {
    expect(await get('/api/v2/services')).toEqual(['frontend', 'search']);
    expect(await get('/api/v2/spans?serviceName=frontend')).toEqual(['get /hotels', 'search']);
    expect(await get('/api/v2/remoteServices?serviceName=frontend')).toEqual(['search']);
  });

  it('finds traces by service, duration, annotation query and limit', async () => {
    const byTag = await get('/api/v2/traces?serviceName=search&annotationQuery=http.method%3DGET');
    expect(byTag).toHaveLength(1);
    expect(byTag[0]).toHaveLength(3);
    expect(await get('/api/v2/traces?serviceName=search&minDuration=4000&maxDuration=5000')).toHaveLength(1);
    expect(await get('/api/v2/traces?serviceName=search&minDuration=20000')).toHaveLength(0);
    expect(await get('/api/v2/traces?serviceName=search')).toHaveLength(2);
    expect(await get('/api/v2/traces?serviceName=search&limit=1')).toHaveLength(1);
    expect(await get(`/api/v2/traces?endTs=${Math.floor(t0 / 1000) - 60_000}`)).toHaveLength(0);
  });

  it('gets one trace and many traces by id', async () => {
    const trace = await get(`/api/v2/trace/${traceA.toUpperCase()}`);
    expect(trace.map((s: { id: string }) => s.id)).toEqual([root.id, client.id, server.id]);
    const many = await get(`/api/v2/traceMany?traceIds=${traceA},${other.traceId},${'c'.repeat(16)}`);
    expect(many.map((t: { traceId: string }[]) => t[0]!.traceId).sort()).toEqual(
      [traceA, other.traceId].sort(),
    );
  });

  it('links dependencies and autocompletes tags', async () => {
    expect(await get(`/api/v2/dependencies?endTs=${Date.now()}&lookback=3600000`)).toEqual([
      expect.objectContaining({ parent: 'frontend', child: 'search', callCount: 1 }),
    ]);
    expect(await get('/api/v2/autocompleteKeys')).toContain('http.path');
    expect(await get('/api/v2/autocompleteValues?key=http.path')).toEqual(['/search']);
  });
});

describe('hivelab trace summaries (the web UI search)', () => {
  it('summarises what /api/v2/traces finds, with its parameters', async () => {
    const byTag = await get(
      '/api/hivelab/trace-summaries?serviceName=search&annotationQuery=http.method%3DGET',
    );
    expect(byTag).toEqual([
      {
        traceId: traceA,
        rootService: 'frontend',
        rootName: 'get /hotels',
        startUs: t0,
        durationUs: 10_000,
        spanCount: 3,
        errorCount: 0,
        services: [
          { name: 'frontend', count: 2 },
          { name: 'search', count: 1 },
        ],
      },
    ]);
    expect(await get('/api/hivelab/trace-summaries?serviceName=search')).toHaveLength(2);
    expect(await get('/api/hivelab/trace-summaries?serviceName=search&limit=1')).toHaveLength(1);
    expect(await get('/api/hivelab/trace-summaries?serviceName=search&minDuration=20000')).toEqual([]);
  });

  it('answers 400 naming a bad parameter, as /api/v2/traces does', async () => {
    const res = await fetch(`${collector.url}/api/hivelab/trace-summaries?limit=ten`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/invalid limit "ten"/);
  });
});

describe('Jaeger query API', () => {
  const envelope = (data: unknown, total: number): unknown => ({
    data,
    total,
    limit: 0,
    offset: 0,
    errors: null,
  });

  it('lists services and operations', async () => {
    expect(await get('/api/services')).toEqual(envelope(['frontend', 'search'], 2));
    expect(await get('/api/services/search/operations')).toEqual(envelope(['nearby', 'search'], 2));
    expect(await get('/api/operations?service=frontend')).toEqual(
      envelope(
        [
          { name: 'get /hotels', spanKind: 'server' },
          { name: 'search', spanKind: 'client' },
        ],
        2,
      ),
    );
    expect(await get('/api/operations?service=frontend&spanKind=client')).toEqual(
      envelope([{ name: 'search', spanKind: 'client' }], 1),
    );
  });

  it('searches traces with tags, durations and a time window', async () => {
    const tags = encodeURIComponent(JSON.stringify({ 'http.method': 'GET' }));
    const found = await get(`/api/traces?service=search&tags=${tags}&minDuration=4ms&maxDuration=5.5ms`);
    expect(found.total).toBe(1);
    expect(found.data[0].traceID).toBe(traceA);
    expect(found.data[0].spans).toHaveLength(3);
    const before = await get(`/api/traces?service=search&start=1000000&end=${t0 - 60_000_000}`);
    expect(before.total).toBe(0);
    const byId = await get(`/api/traces?traceID=${other.traceId}`);
    expect(byId.data[0].spans[0].operationName).toBe('nearby');
  });

  it('gets a trace by id and the dependency graph', async () => {
    const one = await get(`/api/traces/${traceA}`);
    expect(one.total).toBe(1);
    const spans = one.data[0].spans as { spanID: string; references: { spanID: string }[] }[];
    expect(spans.find((s) => s.spanID === server.id)!.references[0]!.spanID).toBe(client.id);
    const deps = await get(`/api/dependencies?endTs=${Date.now()}&lookback=3600000`);
    expect(deps.data).toEqual([
      expect.objectContaining({ parent: 'frontend', child: 'search', callCount: 1 }),
    ]);
  });
});

describe('health, metrics and CORS', () => {
  it('lists its endpoints at /', async () => {
    const res = await fetch(`${collector.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/POST \/api\/v2\/spans.*\n[\s\S]*GET \/health/);
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await get('/health');
    expect(health).toMatchObject({ status: 'UP', store: { spanCount: 4 }, queue: { queuedSpans: 0 } });
    const res = await fetch(`${collector.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    expect(text).toMatch(/^hivelab_spans_accepted_total\{transport="zipkin",encoding="json"\} 2$/m);
    expect(text).toMatch(/^hivelab_spans_accepted_total\{transport="zipkin",encoding="proto"\} 2$/m);
    expect(text).toMatch(/^hivelab_spans_received_total\{transport="otlp",encoding="proto"\} 0$/m);
    expect(text).toMatch(/^hivelab_spans_dropped_total\{transport="zipkin",encoding="json"\} 0$/m);
    expect(text).toMatch(/^hivelab_ingest_queue_spans 0$/m);
    expect(text).toMatch(/^hivelab_store_spans 4$/m);
    expect(text).toMatch(/^hivelab_store_bytes \d+$/m);
  });

  it('answers CORS preflight and serves OTLP on the main port when there is no OTLP listener', async () => {
    const pre = await fetch(`${collector.url}/api/v2/spans`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    expect(collector.otlpUrl).toBe(collector.url);
    const res = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [] }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
  });
});
