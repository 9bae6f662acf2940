// The types cache against the computation it replaces, on a real SQLite store kept with the
// analyzer's summarizer: every report must equal the uncached one, also after traces
// arrive, late spans rewrite (and move) a trace, and retention deletes old traces.
//
//   ts →  |bucket|bucket|bucket| … 40 buckets of 15 s (10 min), 7 600 traces, 3 types:
//         gw:get /x ─┬ auth:check      (most)
//                    └ db:query
//         gw:get /x ── auth:check      (every 5th: db calls dropped)
//         gw:get /y ─┬ …               (every 7th: another root operation)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { SqliteTraceStore } from '../../store/index.js';
import { analyzeAnomalies, analyzeTypes, type AnalysisQuery } from '../run-analysis.js';
import { StoreSource } from '../sources/store-source.js';
import { createTraceSummarizer } from '../summary/trace-summarizer.js';
import { syntheticTrace, T0_US } from '../testing/index.js';

const TRACES = 7600;
const SPREAD_US = 600_000_000;
const BUCKET_US = 15_000_000;

/** Trace `i` at its place in the ten minutes, of one of three types. */
function trace(i: number, startUs = T0_US + Math.floor((i * SPREAD_US) / TRACES)): Span[] {
  const spans = syntheticTrace(i, startUs, i % 97 === 0 ? { dbSlowUs: 30_000 } : {});
  if (i % 5 === 1) return spans.filter((s) => s.name !== 'query');
  if (i % 7 === 0) return spans.map((s) => (s.parentId === undefined ? { ...s, name: 'get /y' } : s));
  return spans;
}

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-types-cache-'));
let store: SqliteTraceStore;
let cached: StoreSource;
let plain: StoreSource;

beforeAll(async () => {
  store = await SqliteTraceStore.open({
    dataDir: root,
    writer: 'inline',
    summarizer: createTraceSummarizer(),
    summaryDelayMs: 5,
  });
  const spans: Span[] = [];
  for (let i = 0; i < TRACES; i++) spans.push(...trace(i));
  await store.append(spans);
  cached = new StoreSource(store, 'cached', false, { bucketUs: BUCKET_US });
  plain = new StoreSource(store, 'plain', false);
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const window = (fromS: number, toS: number) => ({
  startUs: T0_US + fromS * 1_000_000,
  endUs: T0_US + toS * 1_000_000,
});

/** Both ways, compared; returns the buckets the cached way read from the store. */
async function expectSame(query: AnalysisQuery): Promise<number> {
  const before = cached.typesCacheCounts().read;
  const got = await analyzeTypes(cached, query);
  expect(got).toEqual(await analyzeTypes(plain, query));
  return cached.typesCacheCounts().read - before;
}

describe('TypesCache (request types per time bucket)', () => {
  it('equals the uncached report for aligned, unaligned and partial windows, keys, filters and limits', async () => {
    const queries: AnalysisQuery[] = [
      { window: window(0, 600) },
      { window: window(37.5, 412.25) },
      { window: window(100, 101) },
      { window: window(-60, 30) },
      { window: window(0, 600), key: 'root' },
      { window: window(0, 600), key: 'set' },
      { window: window(20, 500), service: 'db' },
      { window: window(20, 500), operation: 'get /y' },
      { window: window(0, 600), limit: 1234 },
      { window: window(0, 600), limit: 10, service: 'db' },
      { window: window(700, 800) },
    ];
    for (const query of queries) await expectSame(query);
    const report = await analyzeTypes(cached, { window: window(0, 600) });
    expect(report.types.map((t) => t.count).reduce((a, b) => a + b)).toBe(TRACES);
    expect(report.types).toHaveLength(3);
    // More than a reservoir (4 096) of the main type: the seeded sample replays too.
    expect(report.types[0]?.count).toBeGreaterThan(4096);
    // Anomalies are flagged from the same accumulators.
    const anomalies = { window: window(0, 600), top: 5 };
    expect(await analyzeAnomalies(cached, anomalies)).toEqual(await analyzeAnomalies(plain, anomalies));
  }, 120_000);

  it('serves an unchanged window from memory', async () => {
    await expectSame({ window: window(0, 600) });
    const { reused } = cached.typesCacheCounts();
    expect(await expectSame({ window: window(0, 600) })).toBe(0);
    expect(cached.typesCacheCounts().reused - reused).toBe(40);
  }, 60_000);

  it('reads again only the buckets that new traces, late spans and retention changed', async () => {
    const query = { window: window(0, 600) };
    await expectSame(query);

    // A whole trace arriving late, into the bucket of second 200.
    await store.append(trace(TRACES, T0_US + 200_000_000 + 123));
    expect(await expectSame(query)).toBe(1);

    // A late span of trace 10 (second ~1, bucket 0): an errored child with CPU; its summary changes.
    const ten = trace(10);
    const parent = ten[0] as Span;
    await store.append([
      {
        ...parent,
        id: 'feedfeedfeedfeed',
        parentId: parent.id,
        name: 'late',
        kind: undefined,
        timestamp: (parent.timestamp ?? 0) + 10,
        duration: 5,
        tags: { error: 'boom', 'cpu.ms': '9.5' },
      },
    ]);
    expect(await expectSame(query)).toBe(1);

    // A late root for trace 4000 (second ~461) that starts 100 s earlier: the trace moves buckets.
    const moved = trace(4000);
    const oldRoot = moved.find((s) => s.parentId === undefined) as Span;
    await store.append([
      {
        ...oldRoot,
        id: 'beefbeefbeefbeef',
        name: 'earlier root',
        timestamp: (oldRoot.timestamp ?? 0) - 100_000_000,
        duration: (oldRoot.duration ?? 0) + 100_000_000,
      },
      { ...oldRoot, parentId: 'beefbeefbeefbeef' },
    ]);
    expect(await expectSame(query)).toBe(2);
    expect(await expectSame({ window: window(300, 400) })).toBe(0);

    // Retention drops the oldest traces (its deletions are changes too).
    const deleted = await store.applyRetention({ maxAgeMs: 1 }, (T0_US + 60_000_000) / 1000);
    expect(deleted).toBeGreaterThan(0);
    expect(await expectSame(query)).toBeGreaterThan(0);
    expect(await expectSame(query)).toBe(0);
  }, 120_000);

  it('leaves summarizers other than the kept one to the uncached path', async () => {
    const query = { window: window(0, 600), maxClockSkewUs: 0 };
    expect(await expectSame(query)).toBe(0);
  }, 60_000);
});
