/**
 * The routes other trace UIs call, over a real collector on loopback: recorded requests of
 * the Jaeger UI (v3 and legacy), Zipkin Lens and seed 004, answer shapes checked against
 * the UIs' own schemas, Jaeger's one-span search rule, `peer.service` once.
 *
 *   rolldice trace (service dice):
 *   dice SERVER "/rolldice" ─────────────── 8 ms   (peer.service tag + remote endpoint)
 *     dice "roll" (lucky=yes) ────── 3 ms
 *   mixed trace (service dice), the criteria on different spans:
 *   dice SERVER "/rolldice" ───── 2 ms
 *     dice "shuffle" (lucky=yes) ─ 1 ms
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- API answers are checked field by field. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOtlpJson } from '../../spans/index.js';
import { startCollector, type RunningCollector } from '../index.js';
import { makeSpan, uniqueHexId } from '../../spans/testing/index.js';
import { RECORDED_UI_REQUESTS } from '../testing/recorded-ui-requests.js';

let collector: RunningCollector;
const t0 = Date.now() * 1000 - 10_000_000;
const rollTrace = `${uniqueHexId()}${uniqueHexId()}`;
const root = makeSpan({
  traceId: rollTrace,
  name: '/rolldice',
  timestamp: t0,
  duration: 8_000,
  localEndpoint: { serviceName: 'dice' },
  remoteEndpoint: { serviceName: 'player' },
  tags: { 'peer.service': 'player', 'http.status_code': '200' },
});
const roll = makeSpan({
  traceId: rollTrace,
  parentId: root.id,
  name: 'roll',
  kind: undefined,
  timestamp: t0 + 1_000,
  duration: 3_000,
  localEndpoint: { serviceName: 'dice' },
  tags: { lucky: 'yes', error: 'bad luck' },
});
const mixedTrace = uniqueHexId();
const mixedRoot = makeSpan({
  traceId: mixedTrace,
  name: '/rolldice',
  timestamp: t0 + 2_000_000,
  duration: 2_000,
  localEndpoint: { serviceName: 'dice' },
  tags: {},
});
const mixedChild = makeSpan({
  traceId: mixedTrace,
  parentId: mixedRoot.id,
  name: 'shuffle',
  timestamp: t0 + 2_000_500,
  duration: 1_000,
  localEndpoint: { serviceName: 'dice' },
  tags: { lucky: 'yes' },
});

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${collector.url}${path}`);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text answers stay text
  }
  return { status: res.status, body };
}

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    otlpPort: null,
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'hivelab-compat-')),
    log: () => {},
  });
  const res = await fetch(`${collector.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([root, roll, mixedRoot, mixedChild]),
  });
  expect(res.status).toBe(202);
  for (let i = 0; i < 100 && (await collector.store.stats()).spanCount < 4; i++)
    await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await collector.close();
});

function fill(path: string): string {
  const endUs = Date.now() * 1000;
  const startUs = endUs - 3_600_000_000;
  return path
    .replaceAll('{service}', 'dice')
    .replaceAll('{traceId}', rollTrace)
    .replaceAll('{startUs}', String(startUs))
    .replaceAll('{endUs}', String(endUs))
    .replaceAll('{endMs}', String(Math.round(endUs / 1000)))
    .replaceAll('{startIso}', new Date(startUs / 1000).toISOString())
    .replaceAll('{endIso}', new Date(endUs / 1000).toISOString());
}

const HEX32 = /^(?!0+$)[0-9a-f]{32}$/;
const HEX16 = /^(?!0+$)[0-9a-f]{16}$/;
const DECIMAL = /^\d+$/;

function checkShape(shape: string, status: number, body: any): void {
  if (shape === 'metrics-disabled') {
    expect(status).toBe(501);
    expect(body.errors[0].code).toBe(501);
    return;
  }
  expect(status).toBe(200);
  switch (shape) {
    case 'services-v3':
      expect(body.services).toContain('dice');
      break;
    case 'operations-v3':
      expect(body.operations).toContainEqual({ name: '/rolldice', spanKind: 'server' });
      for (const op of body.operations) expect(typeof op.spanKind).toBe('string');
      break;
    case 'summaries':
      expect(body.summaries.length).toBe(2);
      for (const s of body.summaries) {
        expect(s.traceId).toMatch(HEX32);
        expect(s.minStartTimeUnixNano).toMatch(DECIMAL);
        expect(s.maxEndTimeUnixNano).toMatch(DECIMAL);
        expect(BigInt(s.maxEndTimeUnixNano) >= BigInt(s.minStartTimeUnixNano)).toBe(true);
        expect(s.rootServiceName).toBe('dice');
        expect(s.rootOperationName).toBe('/rolldice');
        for (const k of ['spanCount', 'errorSpanCount', 'orphanSpanCount'])
          expect(Number.isInteger(s[k])).toBe(true);
        expect(s.services[0]).toMatchObject({ name: 'dice' });
      }
      break;
    case 'otlp':
      for (const rs of body.result.resourceSpans) {
        expect(rs.resource.attributes).toContainEqual({
          key: 'service.name',
          value: { stringValue: 'dice' },
        });
        for (const ss of rs.scopeSpans) {
          for (const span of ss.spans) {
            expect(span.traceId).toMatch(HEX32);
            expect(span.spanId).toMatch(HEX16);
            if (span.parentSpanId !== undefined) expect(span.parentSpanId).toMatch(HEX16);
            expect(span.startTimeUnixNano).toMatch(DECIMAL);
            expect(span.endTimeUnixNano).toMatch(DECIMAL);
            expect(Number.isInteger(span.kind)).toBe(true);
          }
        }
      }
      break;
    case 'jaeger-envelope':
      expect(body).toMatchObject({ limit: 0, offset: 0, errors: null });
      expect(Array.isArray(body.data)).toBe(true);
      break;
    case 'json-array':
      expect(Array.isArray(body)).toBe(true);
      expect(body.length).toBeGreaterThan(0);
      break;
    case 'lens-config':
      expect(body).toMatchObject({
        queryLimit: 10,
        defaultLookback: 900_000,
        searchEnabled: true,
        dependency: { enabled: true },
      });
      break;
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

describe('recorded requests of the trace UIs', () => {
  it.each(RECORDED_UI_REQUESTS.map((r) => [r.ui, r.path, r.shape] as const))(
    '%s %s',
    async (_ui, path, shape) => {
      const { status, body } = await get(fill(path));
      checkShape(shape, status, body);
    },
  );
});

describe('Jaeger v3 answers', () => {
  it('serves a trace as OTLP JSON that decodes back to the stored spans', async () => {
    const { body } = await get(`/api/v3/traces/${rollTrace}`);
    const decoded = decodeOtlpJson(Buffer.from(JSON.stringify(body.result)));
    const byId = new Map(decoded.spans.map((s) => [s.id, s]));
    expect(byId.get(root.id)).toMatchObject({
      name: '/rolldice',
      kind: 'SERVER',
      timestamp: t0,
      duration: 8_000,
      localEndpoint: { serviceName: 'dice' },
    });
    expect(byId.get(roll.id)).toMatchObject({
      parentId: root.id,
      tags: expect.objectContaining({ lucky: 'yes', error: 'bad luck' }),
    });
  });

  it('answers 404 in grpc-gateway form for an unknown trace, 400 for a bad time', async () => {
    const missing = await get(`/api/v3/traces/${'ab'.repeat(16)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ httpCode: 404 });
    const bad = await get('/api/v3/trace-summaries?query.service_name=dice&query.start_time_min=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('query.start_time_min');
  });

  it('counts errors and orphans in the summaries', async () => {
    const { body } = await get(
      fill('/api/v3/trace-summaries?query.service_name=dice&query.start_time_min={startIso}'),
    );
    const s = body.summaries.find((x: any) => x.traceId.endsWith(rollTrace));
    expect(s).toMatchObject({
      spanCount: 2,
      errorSpanCount: 1,
      orphanSpanCount: 0,
      services: [{ name: 'dice', spanCount: 2, errorSpanCount: 1 }],
    });
  });
});

describe("Jaeger's one-span search rule on /api/traces, Zipkin's on /api/v2/traces", () => {
  const window = (): string => fill('start={startUs}&end={endUs}');

  it('needs the operation and the tag on the same span under /api/traces', async () => {
    const tags = encodeURIComponent(JSON.stringify({ lucky: 'yes' }));
    const jaeger = await get(`/api/traces?service=dice&operation=roll&tags=${tags}&${window()}`);
    expect(jaeger.body.data.map((t: any) => t.traceID)).toEqual([rollTrace]);
    const none = await get(`/api/traces?service=dice&operation=%2Frolldice&tags=${tags}&${window()}`);
    expect(none.body.data).toEqual([]);
    const zipkin = await get(
      `/api/v2/traces?serviceName=dice&spanName=%2Frolldice&annotationQuery=lucky%3Dyes&lookback=3600000&endTs=${Date.now()}`,
    );
    expect(zipkin.body.map((t: any) => t[0].traceId).sort()).toEqual([mixedTrace, rollTrace].sort());
  });

  it('matches error=true on a span whose error tag holds a message, and duration on one span', async () => {
    const tags = encodeURIComponent(JSON.stringify({ error: 'true' }));
    expect((await get(`/api/traces?service=dice&tags=${tags}&${window()}`)).body.data.length).toBe(1);
    const slow = await get(`/api/traces?service=dice&operation=roll&minDuration=2ms&${window()}`);
    expect(slow.body.data.length).toBe(1);
    const tooSlow = await get(`/api/traces?service=dice&operation=roll&minDuration=4ms&${window()}`);
    expect(tooSlow.body.data.length).toBe(0);
  });

  it('pages and orders as seed 004 asks (offset, orderBy, direction)', async () => {
    const asc = await get(`/jaeger/api/traces?service=dice&orderBy=duration&direction=asc&${window()}`);
    expect(asc.body.data.map((t: any) => t.traceID)).toEqual([mixedTrace, rollTrace]);
    const second = await get(
      `/jaeger/api/traces?service=dice&orderBy=duration&direction=asc&offset=1&${window()}`,
    );
    expect(second.body.data.map((t: any) => t.traceID)).toEqual([rollTrace]);
    const bad = await get(`/jaeger/api/traces?service=dice&orderBy=size&${window()}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].msg).toContain('orderBy');
  });
});

it('lists peer.service once in Jaeger JSON', async () => {
  const { body } = await get(`/api/traces/${rollTrace}`);
  const span = body.data[0].spans.find((s: any) => s.spanID === root.id);
  expect(span.tags.filter((t: any) => t.key === 'peer.service')).toEqual([
    { key: 'peer.service', type: 'string', value: 'player' },
  ]);
});

it('serves the web UI to browsers at / and under /jaeger/, and the endpoint list to others', async () => {
  const html = await fetch(`${collector.url}/`, { headers: { accept: 'text/html' } });
  expect(html.headers.get('content-type')).toMatch(/^text\/html/);
  const page = await html.text();
  expect(page).toContain('<div id="app">');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
  const js = await fetch(`${collector.url}${asset}`);
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toContain('immutable');
  expect((await fetch(`${collector.url}/jaeger${asset}`)).status).toBe(200);
  const deep = await fetch(`${collector.url}/jaeger/trace/${rollTrace}`);
  expect(await deep.text()).toBe(page);
  expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await (await fetch(`${collector.url}/`)).text()).toMatch(/^hivelab trace collector/);
  expect((await fetch(`${collector.url}/assets/..%2Fpackage.json`)).status).toBe(404);
});
