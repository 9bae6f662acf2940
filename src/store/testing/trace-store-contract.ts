/**
 * The one contract suite every `TraceStore` adapter passes (conventions: Hono's shared case
 * tests). An adapter's test calls `runTraceStoreContract({ name: 'sqlite', make })`; `make`
 * must return a fresh, empty store each time. Kept adapter-agnostic: only the port is used.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { makeSpan } from '../../spans/testing/index.js';
import type { TraceQuery, TraceStore } from '../trace-store.js';
import { runTraceSummaryContract } from './trace-summary-contract.js';

/** Fixed "now" for the suite: 2026-01-01T00:00:00Z in ms. */
export const NOW_MS = 1_767_225_600_000;
const NOW_US = NOW_MS * 1000;
const HOUR_MS = 3_600_000;

/**
 * What the suite's spans share, as overrides of the one span factory (`makeSpan`): a minute
 * before the suite's "now", no kind and no tags unless a test gives them.
 */
export const SUITE_SPAN = {
  timestamp: NOW_US - 60_000_000,
  kind: undefined,
  tags: undefined,
} satisfies Partial<Span>;

function query(overrides: Partial<TraceQuery> = {}): TraceQuery {
  return { endTsMs: NOW_MS, lookbackMs: 24 * HOUR_MS, limit: 10, ...overrides };
}

function ids(traces: Span[][]): string[] {
  return traces.map((t) => t[0]?.traceId ?? '?');
}

const T1 = 'a000000000000001';
const T2 = 'a000000000000002';
const T3 = '00000000000000010000000000000003';

/**
 * T1 (one minute ago):           T2 (two minutes ago):
 *   frontend SERVER "get /"        frontend SERVER "post /"  error
 *   └ frontend CLIENT "get"        └ frontend CLIENT "post" ─┐ (shared id 2b)
 *     └ backend SERVER "get"  (shared)                        └ backend SERVER "post" (shared)
 *       └ backend local "query" tags db=pg, annotation "cache.miss"
 */
function fixture(): Span[] {
  const t1 = NOW_US - 60_000_000;
  const t2 = NOW_US - 120_000_000;
  return [
    makeSpan({
      ...SUITE_SPAN,
      traceId: T1,
      id: '1a',
      name: 'GET /',
      kind: 'SERVER',
      timestamp: t1,
      duration: 9000,
      localEndpoint: { serviceName: 'Frontend' },
      tags: { 'http.method': 'GET' },
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T1,
      id: '1b',
      parentId: '1a',
      name: 'get',
      kind: 'CLIENT',
      timestamp: t1 + 100,
      duration: 8000,
      remoteEndpoint: { serviceName: 'backend' },
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T1,
      id: '1b',
      parentId: '1a',
      name: 'get',
      kind: 'SERVER',
      shared: true,
      timestamp: t1 + 200,
      duration: 7000,
      localEndpoint: { serviceName: 'backend' },
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T1,
      id: '1c',
      parentId: '1b',
      name: 'query',
      timestamp: t1 + 300,
      duration: 5000,
      localEndpoint: { serviceName: 'backend' },
      tags: { db: 'pg' },
      annotations: [{ timestamp: t1 + 400, value: 'cache.miss' }],
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T2,
      id: '2a',
      name: 'post /',
      kind: 'SERVER',
      timestamp: t2,
      duration: 3000,
      tags: { error: 'boom', 'http.method': 'POST' },
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T2,
      id: '2b',
      parentId: '2a',
      name: 'post',
      kind: 'CLIENT',
      timestamp: t2 + 100,
      duration: 2000,
      remoteEndpoint: { serviceName: 'backend' },
    }),
    makeSpan({
      ...SUITE_SPAN,
      traceId: T2,
      id: '2b',
      parentId: '2a',
      name: 'post',
      kind: 'SERVER',
      shared: true,
      timestamp: t2 + 200,
      duration: 1000,
      localEndpoint: { serviceName: 'backend' },
    }),
  ];
}

/** One run of the contract: the adapter under test and whether it can run here. */
export interface TraceStoreContract {
  /** Names the adapter (and its mode) in the report. */
  name: string;
  /** A fresh, empty store for each test. */
  make: () => Promise<TraceStore>;
  /** Why the suite cannot run here (a part it needs is missing); it runs when undefined. */
  skip?: string | undefined;
}

export function runTraceStoreContract({ name, make, skip }: TraceStoreContract): void {
  runTraceSummaryContract({ name, make: () => make(), kept: false, skip });
  const title = `TraceStore contract: ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`;
  describe.skipIf(skip !== undefined)(title, () => {
    let store: TraceStore;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('with the two-trace fixture', () => {
      beforeEach(async () => {
        await store.append(fixture());
      });

      it('returns a trace by id, sorted by timestamp, names lower-cased', async () => {
        const trace = await store.getTrace(T1);
        expect(trace.map((s) => s.id)).toEqual(['1a', '1b', '1b', '1c']);
        expect(trace[0]?.name).toBe('get /');
        expect(trace[0]?.localEndpoint?.serviceName).toBe('frontend');
        expect(trace[3]?.tags).toEqual({ db: 'pg' });
        expect(trace[3]?.annotations).toEqual([
          { timestamp: NOW_US - 60_000_000 + 400, value: 'cache.miss' },
        ]);
      });

      it('returns an empty array for an unknown trace and finds upper-case ids', async () => {
        expect(await store.getTrace('ffffffffffffffff')).toEqual([]);
        expect((await store.getTrace(T1.toUpperCase())).length).toBe(4);
      });

      it('getTraces returns only the traces that exist', async () => {
        const traces = await store.getTraces([T2, 'ffffffffffffffff', T1]);
        expect(traces.map((t) => t[0]?.traceId).sort()).toEqual([T1, T2]);
      });

      it('finds every trace newest first, and honours limit', async () => {
        expect(ids(await store.findTraces(query()))).toEqual([T1, T2]);
        expect(ids(await store.findTraces(query({ limit: 1 })))).toEqual([T1]);
      });

      it('filters by serviceName, case-insensitively', async () => {
        expect(ids(await store.findTraces(query({ serviceName: 'BACKEND' })))).toEqual([T1, T2]);
        expect(ids(await store.findTraces(query({ serviceName: 'nobody' })))).toEqual([]);
      });

      it('filters by spanName and remoteServiceName within the service', async () => {
        expect(ids(await store.findTraces(query({ spanName: 'Post' })))).toEqual([T2]);
        expect(ids(await store.findTraces(query({ serviceName: 'backend', spanName: 'query' })))).toEqual([
          T1,
        ]);
        // "get /" is a frontend span: not matched when the service is backend.
        expect(ids(await store.findTraces(query({ serviceName: 'backend', spanName: 'get /' })))).toEqual([]);
        expect(
          ids(await store.findTraces(query({ serviceName: 'frontend', remoteServiceName: 'backend' }))),
        ).toEqual([T1, T2]);
        expect(
          ids(await store.findTraces(query({ serviceName: 'backend', remoteServiceName: 'backend' }))),
        ).toEqual([]);
      });

      it('annotationQuery: tag equality, tag key presence, annotation value', async () => {
        expect(ids(await store.findTraces(query({ annotationQuery: { 'http.method': 'POST' } })))).toEqual([
          T2,
        ]);
        expect(ids(await store.findTraces(query({ annotationQuery: { error: '' } })))).toEqual([T2]);
        expect(ids(await store.findTraces(query({ annotationQuery: { 'cache.miss': '' } })))).toEqual([T1]);
        expect(ids(await store.findTraces(query({ annotationQuery: { db: 'mysql' } })))).toEqual([]);
        // Zipkin: terms may be met by different spans of the queried service.
        expect(
          ids(
            await store.findTraces(
              query({ serviceName: 'backend', annotationQuery: { db: 'pg', 'cache.miss': '' } }),
            ),
          ),
        ).toEqual([T1]);
        // ...but only by spans of that service.
        expect(
          ids(
            await store.findTraces(
              query({ serviceName: 'backend', annotationQuery: { 'http.method': 'GET' } }),
            ),
          ),
        ).toEqual([]);
      });

      it('filters by minDuration and maxDuration (µs) on spans of the service', async () => {
        expect(ids(await store.findTraces(query({ minDurationUs: 8500 })))).toEqual([T1]);
        expect(ids(await store.findTraces(query({ serviceName: 'backend', minDurationUs: 6000 })))).toEqual([
          T1,
        ]);
        expect(ids(await store.findTraces(query({ serviceName: 'backend', minDurationUs: 7001 })))).toEqual(
          [],
        );
        expect(
          ids(
            await store.findTraces(
              query({ serviceName: 'frontend', minDurationUs: 2500, maxDurationUs: 3500 }),
            ),
          ),
        ).toEqual([T2]);
        expect(ids(await store.findTraces(query({ minDurationUs: 1000, maxDurationUs: 1000 })))).toEqual([
          T2,
        ]);
      });

      it('duration bounds: one span meets both, whatever else its service sent with it', async () => {
        // A long and a short span of one service in one append (PostgreSQL keeps them in one row).
        const T3 = '00000000000000d3';
        await store.append([
          makeSpan({
            ...SUITE_SPAN,
            traceId: T3,
            id: '01',
            duration: 50_000,
            localEndpoint: { serviceName: 'batch' },
          }),
          makeSpan({
            ...SUITE_SPAN,
            traceId: T3,
            id: '02',
            duration: 20,
            localEndpoint: { serviceName: 'batch' },
          }),
        ]);
        const found = async (minDurationUs: number | undefined, maxDurationUs: number) =>
          ids(await store.findTraces(query({ serviceName: 'batch', minDurationUs, maxDurationUs })));
        expect(await found(10, 30)).toEqual([T3]);
        expect(await found(undefined, 30)).toEqual([T3]);
        expect(await found(40_000, 60_000)).toEqual([T3]);
        expect(await found(30, 40_000)).toEqual([]);
      });

      it('applies the time window (endTs - lookback, endTs] to the trace timestamp', async () => {
        const t1Ms = NOW_MS - 60_000;
        expect(ids(await store.findTraces(query({ endTsMs: NOW_MS - 90_000 })))).toEqual([T2]);
        expect(ids(await store.findTraces(query({ lookbackMs: 90_000 })))).toEqual([T1]);
        expect(ids(await store.findTraces(query({ endTsMs: t1Ms, lookbackMs: 1 })))).toEqual([T1]);
        expect(ids(await store.findTraces(query({ endTsMs: t1Ms - 1, lookbackMs: 1000 })))).toEqual([]);
        expect(ids(await store.findTraces(query({ endTsMs: t1Ms + 1000, lookbackMs: 1000 })))).toEqual([]);
      });

      it('lists services, span names by kind, remote services', async () => {
        expect(await store.serviceNames()).toEqual(['backend', 'frontend']);
        expect(await store.spanNames('frontend')).toEqual(['get', 'get /', 'post', 'post /']);
        expect(await store.spanNames('Frontend', 'SERVER')).toEqual(['get /', 'post /']);
        expect(await store.spanNames('backend', 'INTERNAL')).toEqual(['query']);
        expect(await store.spanNames('backend', 'PRODUCER')).toEqual([]);
        expect(await store.spanNames('nobody')).toEqual([]);
        expect(await store.remoteServiceNames('frontend')).toEqual(['backend']);
        expect(await store.remoteServiceNames('backend')).toEqual([]);
      });

      it('autocompletes tag keys and values', async () => {
        expect(await store.autocompleteKeys()).toEqual(['db', 'error', 'http.method']);
        expect(await store.autocompleteValues('http.method')).toEqual(['GET', 'POST']);
        expect(await store.autocompleteValues('nothing')).toEqual([]);
      });

      it('links dependencies from shared RPC spans, counting errors', async () => {
        expect(await store.dependencies(NOW_MS, HOUR_MS)).toEqual([
          { parent: 'frontend', child: 'backend', callCount: 2, errorCount: 0 },
        ]);
        expect(await store.dependencies(NOW_MS - 90_000, HOUR_MS)).toEqual([
          { parent: 'frontend', child: 'backend', callCount: 1, errorCount: 0 },
        ]);
        expect(await store.dependencies(NOW_MS - HOUR_MS, 1000)).toEqual([]);
      });

      it('counts spans in stats', async () => {
        const stats = await store.stats();
        expect(stats.spanCount).toBe(7);
        expect(stats.sizeBytes).toBeGreaterThan(0);
      });
    });

    it('counts errors on links and links split client/server spans and messaging', async () => {
      const t = NOW_US - 10_000_000;
      await store.append([
        makeSpan({
          ...SUITE_SPAN,
          traceId: T3,
          id: '3a',
          kind: 'CLIENT',
          timestamp: t,
          localEndpoint: { serviceName: 'web' },
          remoteEndpoint: { serviceName: 'api' },
          tags: { error: '' },
        }),
        makeSpan({
          ...SUITE_SPAN,
          traceId: T3,
          id: '3b',
          parentId: '3a',
          kind: 'SERVER',
          timestamp: t + 1,
          localEndpoint: { serviceName: 'api' },
        }),
        makeSpan({
          ...SUITE_SPAN,
          traceId: T3,
          id: '3c',
          parentId: '3b',
          name: 'local',
          timestamp: t + 2,
          localEndpoint: { serviceName: 'api' },
        }),
        makeSpan({
          ...SUITE_SPAN,
          traceId: T3,
          id: '3d',
          parentId: '3c',
          kind: 'PRODUCER',
          timestamp: t + 3,
          localEndpoint: { serviceName: 'api' },
          remoteEndpoint: { serviceName: 'kafka' },
        }),
        makeSpan({
          ...SUITE_SPAN,
          traceId: T3,
          id: '3e',
          parentId: '3c',
          kind: 'CLIENT',
          timestamp: t + 4,
          localEndpoint: { serviceName: 'api' },
          remoteEndpoint: { serviceName: 'db' },
        }),
      ]);
      expect(await store.dependencies(NOW_MS, HOUR_MS)).toEqual([
        { parent: 'api', child: 'db', callCount: 1, errorCount: 0 },
        { parent: 'api', child: 'kafka', callCount: 1, errorCount: 0 },
        { parent: 'web', child: 'api', callCount: 1, errorCount: 1 },
      ]);
    });

    it('normalizes a 128-bit id to lower case and keeps 128-bit and 64-bit ids apart', async () => {
      const low = '0000000000000003';
      await store.append([
        makeSpan({ ...SUITE_SPAN, traceId: T3, id: '01' }),
        makeSpan({ ...SUITE_SPAN, traceId: low, id: '02' }),
      ]);
      expect((await store.getTrace(T3)).map((s) => s.id)).toEqual(['01']);
      expect((await store.getTrace(low)).map((s) => s.id)).toEqual(['02']);
    });

    it('merges a span reported twice, keeps both halves of a shared span', async () => {
      const span = makeSpan({ ...SUITE_SPAN, traceId: T1, id: '01', kind: 'SERVER', tags: { a: '1' } });
      await store.append([span]);
      await store.append([{ ...span, tags: { b: '2' } }, span]);
      await store.append([{ ...span, kind: 'CLIENT', localEndpoint: { serviceName: 'other' } }]);
      const trace = await store.getTrace(T1);
      expect(trace.length).toBe(2);
      expect(trace.find((s) => s.kind === 'SERVER')?.tags).toEqual({ a: '1', b: '2' });
    });

    it('keeps spans of one trace that arrive in separate appends together', async () => {
      await store.append([makeSpan({ ...SUITE_SPAN, traceId: T1, id: '01', timestamp: NOW_US - 5 })]);
      await store.append([makeSpan({ ...SUITE_SPAN, traceId: T2, id: '02' })]);
      await store.append([
        makeSpan({ ...SUITE_SPAN, traceId: T1, id: '03', parentId: '01', timestamp: NOW_US - 3 }),
      ]);
      expect((await store.getTrace(T1)).map((s) => s.id)).toEqual(['01', '03']);
      expect((await store.findTraces(query({ spanName: 'get' }))).length).toBe(2);
    });

    it('resolves every concurrent append and keeps every span', async () => {
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 50 }, (_, i) =>
          makeSpan({
            ...SUITE_SPAN,
            traceId: (0xb000 + b).toString(16).padStart(16, '0'),
            id: (i + 1).toString(16).padStart(16, '0'),
            timestamp: NOW_US - 1_000_000 + b * 1000 + i,
          }),
        ),
      );
      await Promise.all(batches.map((batch) => store.append(batch)));
      expect((await store.stats()).spanCount).toBe(1000);
      const traces = await store.getTraces(batches.map((b) => b[0]!.traceId));
      expect(traces.map((t) => t.length)).toEqual(Array.from({ length: 20 }, () => 50));
      expect((await store.findTraces(query({ limit: 100 }))).length).toBe(20);
    });

    it('returns the newest traces first even when many match', async () => {
      const spans = Array.from({ length: 30 }, (_, i) =>
        makeSpan({
          ...SUITE_SPAN,
          traceId: (0xc000 + i).toString(16).padStart(16, '0'),
          id: '01',
          timestamp: NOW_US - 1_000_000_000 + ((i * 7) % 30) * 1_000_000,
          duration: i * 10,
        }),
      );
      await store.append(spans);
      const found = await store.findTraces(query({ serviceName: 'frontend', minDurationUs: 100, limit: 5 }));
      const times = found.map((t) => t[0]!.timestamp!);
      expect(found.length).toBe(5);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const expected = spans
        .filter((s) => s.duration! >= 100)
        .map((s) => s.timestamp!)
        .sort((a, b) => b - a)
        .slice(0, 5);
      expect(times).toEqual(expected);
    });

    it('retention by age deletes whole traces whose newest span is too old', async () => {
      await store.append([
        makeSpan({ ...SUITE_SPAN, traceId: T1, id: '01', timestamp: NOW_US - 3 * HOUR_MS * 1000 }),
        makeSpan({ ...SUITE_SPAN, traceId: T1, id: '02', timestamp: NOW_US - 3 * HOUR_MS * 1000 + 5 }),
        makeSpan({ ...SUITE_SPAN, traceId: T2, id: '01', timestamp: NOW_US - 3 * HOUR_MS * 1000 }),
        makeSpan({ ...SUITE_SPAN, traceId: T2, id: '02', timestamp: NOW_US - 10 }),
      ]);
      expect(await store.applyRetention({ maxAgeMs: 2 * HOUR_MS }, NOW_MS)).toBe(2);
      expect(await store.getTrace(T1)).toEqual([]);
      expect((await store.getTrace(T2)).length).toBe(2);
      expect((await store.stats()).spanCount).toBe(2);
      expect(await store.applyRetention({ maxAgeMs: 2 * HOUR_MS }, NOW_MS)).toBe(0);
    });

    it('retention by size deletes the oldest traces until under the limit', async () => {
      const spans: Span[] = [];
      for (let t = 0; t < 200; t++) {
        for (let i = 0; i < 10; i++) {
          spans.push(
            makeSpan({
              ...SUITE_SPAN,
              traceId: (0xd000 + t).toString(16).padStart(16, '0'),
              id: (i + 1).toString(16).padStart(16, '0'),
              timestamp: NOW_US - (200 - t) * 1_000_000 + i,
              // Incompressible, so the store's size follows its spans (PostgreSQL compresses
              // a long row of span JSON); an annotation, which no autocompletion keeps.
              annotations: [{ timestamp: NOW_US, value: randomBytes(100).toString('hex') }],
            }),
          );
        }
      }
      await store.append(spans);
      const before = await store.stats();
      const deleted = await store.applyRetention({ maxBytes: before.sizeBytes / 2 }, NOW_MS);
      const after = await store.stats();
      expect(deleted).toBeGreaterThan(0);
      expect(deleted % 10).toBe(0);
      expect(after.spanCount).toBe(2000 - deleted);
      expect(after.sizeBytes).toBeLessThanOrEqual(before.sizeBytes / 2);
      // The oldest went first: the newest trace is still there, the oldest is not.
      expect((await store.getTrace((0xd000 + 199).toString(16).padStart(16, '0'))).length).toBe(10);
      expect(await store.getTrace((0xd000).toString(16).padStart(16, '0'))).toEqual([]);
    });
  });
}
