import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { encodeZipkinJson, toJaegerTrace } from '../../spans/index.js';
import { analyzeTraceById, analyzeTypes } from '../run-analysis.js';
import { syntheticTrace } from '../testing/synthetic-traces.js';
import { FileSource } from './file-source.js';
import { JaegerSource } from './jaeger-source.js';
import { openSource } from './open-source.js';
import type { TraceSource } from './trace-source.js';
import { ZipkinSource } from './zipkin-source.js';

/**
 * 45 traces of one type, 3 s apart, ending a minute ago (the collector refuses the future):
 *   gw:get /x ─┬ auth:check
 *              └ db:query
 */
const NOW_US = Date.now() * 1000;
const START_US = NOW_US - 200_000_000;
const traces = Array.from({ length: 45 }, (_, i) => syntheticTrace(i, START_US + i * 3_000_000));
const TYPE = 'gw:get /x → [auth:check, db:query]';
const WINDOW = { window: { startUs: START_US - 1, endUs: NOW_US } };

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-analysis-sources-'));
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    otlpPort: null,
    dataDir: path.join(root, 'data'),
    log: () => {},
  });
  const response = await fetch(`${collector.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: encodeZipkinJson(traces.flat()),
  });
  expect(response.status).toBe(202);
});

afterAll(async () => {
  await collector.close();
  rmSync(root, { recursive: true, force: true });
});

async function typesOf(source: TraceSource): Promise<[string, number][]> {
  try {
    return (await analyzeTypes(source, WINDOW)).types.map((t) => [t.key, t.count]);
  } finally {
    await source.close();
  }
}

describe('sources', () => {
  it('a collector URL (Zipkin API), paged 10 traces at a time', async () => {
    expect(await typesOf(new ZipkinSource(collector.url, { pageSize: 10 }))).toEqual([[TYPE, 45]]);
  });

  it('a Jaeger API (hivelab serves one under /api), paged, with and without --service', async () => {
    expect(await typesOf(new JaegerSource(collector.url, { pageSize: 7 }))).toEqual([[TYPE, 45]]);
    const source = new JaegerSource(`${collector.url}/api/traces`, { pageSize: 100 });
    const report = await analyzeTypes(source, { ...WINDOW, service: 'db' });
    expect(report.types.map((t) => t.count)).toEqual([45]);
  });

  it('the store itself (--data), while the collector has it open', async () => {
    expect(await typesOf(await openSource({ data: path.join(root, 'data') }))).toEqual([[TYPE, 45]]);
  });

  it('files: Zipkin list of traces, flat Zipkin spans, Jaeger {data}, OTLP JSON', async () => {
    const zipkin = path.join(root, 'zipkin.json');
    writeFileSync(zipkin, JSON.stringify(traces.slice(0, 20)));
    const flat = path.join(root, 'flat.json');
    writeFileSync(flat, encodeZipkinJson(traces.slice(20, 25).flat()));
    const jaeger = path.join(root, 'jaeger.json');
    writeFileSync(jaeger, JSON.stringify({ data: traces.slice(25, 45).map((t) => toJaegerTrace(t)) }));
    expect(await typesOf(await FileSource.open([zipkin, flat, jaeger]))).toEqual([[TYPE, 45]]);
    const otlp = path.join(root, 'otlp.json');
    const t0 = NOW_US - 5_000_000;
    const t = syntheticTrace(99, t0);
    writeFileSync(
      otlp,
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gw' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: `0000000000000000${t[0]!.traceId}`,
                    spanId: t[0]!.id,
                    name: 'get /x',
                    kind: 2,
                    startTimeUnixNano: String(t0 * 1000),
                    endTimeUnixNano: String((t0 + 900) * 1000),
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(await typesOf(await FileSource.open([otlp]))).toEqual([['gw:get /x', 1]]);
  });

  it('a malformed file, a missing file and an unknown format say which file and why', async () => {
    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, '{"data": [oops');
    await expect(FileSource.open([bad])).rejects.toThrow(/bad\.json: not JSON/);
    await expect(FileSource.open([path.join(root, 'none.json')])).rejects.toThrow(/none\.json/);
    const odd = path.join(root, 'odd.json');
    writeFileSync(odd, '{"traces": 1}');
    await expect(FileSource.open([odd])).rejects.toThrow(/odd\.json: unknown format/);
  });

  it('an unknown trace id, on each source, is a clear error', async () => {
    const id = 'ffffffffffffffff';
    for (const source of [new ZipkinSource(collector.url), new JaegerSource(collector.url)]) {
      await expect(analyzeTraceById(source, id)).rejects.toThrow(/trace ffffffffffffffff not found in the/);
    }
    const known = await analyzeTraceById(new JaegerSource(collector.url), traces[3]![0]!.traceId);
    expect(known.spans.length).toBe(5);
  });

  it('an unreachable or wrong URL says which and why', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await expect(typesOf(new ZipkinSource(`http://127.0.0.1:${port}`))).rejects.toThrow(
      new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`),
    );
    await expect(typesOf(new JaegerSource(`${collector.url}/nope`))).rejects.toThrow(/answered 404/);
    await expect(openSource({ data: path.join(root, 'empty') })).rejects.toThrow(/no trace store/);
  });
});
