/**
 * The analyzer's per-trace summaries kept in PostgreSQL: the summaries contract (as SQLite
 * passes it), then what only a shared database has: another collector's spans, writers and
 * a summarising reader racing, a new summarizer version, a database of schema version 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../spans/index.js';
import { makeSpan } from '../../../spans/testing/index.js';
import type { TraceStore } from '../../trace-store.js';
import { countingSummarizer, runTraceSummaryContract } from '../../testing/trace-summary-contract.js';
import type { TraceSummarizer } from '../../trace-summary.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  queryOnce,
  resetTestDatabase,
  type TestDatabase,
} from './testing/pg-test-database.js';

const NOW_MS = 1_767_225_600_000;
const traceId = (n: number): string => (0xb0000 + n).toString(16).padStart(16, '0');

/** Span `id` of trace `trace` (child of `parent`), made with the one span factory. */
function span(trace: number, id: number, parent?: number): Span {
  return makeSpan({
    traceId: traceId(trace),
    id: (id + 1).toString(16).padStart(16, '0'),
    ...(parent !== undefined ? { parentId: (parent + 1).toString(16).padStart(16, '0') } : {}),
    name: 'op',
    kind: undefined,
    tags: undefined,
    timestamp: (NOW_MS - 60_000) * 1000 + trace * 1000 + id,
    duration: 10,
    localEndpoint: { serviceName: 'svc' },
  });
}

async function summaries(store: TraceStore, summarizer: TraceSummarizer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of store.summarizeTraces({ endTsMs: NOW_MS, lookbackMs: 3_600_000 }, summarizer)) {
    for (const s of page) out.set(s.traceId, s.data);
  }
  return out;
}

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('PostgresTraceStore summaries'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const open = async (options: { summarizer?: TraceSummarizer }): Promise<TraceStore> => {
    await resetTestDatabase(db.url);
    return PostgresTraceStore.open({ url: db.url, partitionMs: 60_000, ...options });
  };
  runTraceSummaryContract({
    name: 'postgres (kept summaries)',
    make: open,
    kept: true,
    skip: PG_SKIP_REASON,
  });
  runTraceSummaryContract({
    name: 'postgres (summarised as read)',
    make: open,
    kept: false,
    skip: PG_SKIP_REASON,
  });

  it("summarises another collector's spans, and writers racing a summarising reader lose none", async () => {
    await resetTestDatabase(db.url);
    const summarizer = countingSummarizer('race-1');
    // A collector that keeps no summaries, and one that does (summarising every 5 ms).
    const plain = await PostgresTraceStore.open({ url: db.url });
    const keeper = await PostgresTraceStore.open({ url: db.url, summarizer, summaryDelayMs: 5 });
    try {
      const traces = 60;
      // Each trace's spans arrive one at a time from both writers, interleaved with reads.
      for (let id = 0; id < 6; id++) {
        const writes = [];
        for (let t = 0; t < traces; t++) {
          const store = (t + id) % 2 === 0 ? plain : keeper;
          writes.push(store.append([span(t, id, id === 0 ? undefined : 0)]));
        }
        await Promise.all([...writes, summaries(keeper, summarizer)]);
      }
      const kept = await summaries(keeper, summarizer);
      expect(kept.size).toBe(traces);
      for (const data of kept.values()) expect(data).toMatch(/\|6$/);
      // Nothing left marked, and each trace has exactly one summary row.
      expect(
        (await queryOnce(db.url, 'SELECT count(*)::int AS n FROM hivelab.summary_dirty')).rows[0].n,
      ).toBe(0);
      expect((await queryOnce(db.url, 'SELECT count(*)::int AS n FROM hivelab.summaries')).rows[0].n).toBe(
        traces,
      );
    } finally {
      await plain.close();
      await keeper.close();
    }
  });

  it('a new summarizer version recomputes every trace; summaries of another version are never returned', async () => {
    await resetTestDatabase(db.url);
    const v1 = countingSummarizer('v1');
    const first = await PostgresTraceStore.open({ url: db.url, summarizer: v1 });
    await first.append([span(1, 0), span(1, 1, 0), span(2, 0)]);
    expect([...(await summaries(first, v1)).values()].sort()).toEqual(
      ['0000000000000001,0000000000000002|2', '0000000000000001|1'].sort(),
    );
    await first.close();
    const v2 = {
      version: 'v2',
      summarize: (spans: readonly Span[]) => ({ group: 'g', data: `n=${spans.length}` }),
    };
    const second = await PostgresTraceStore.open({ url: db.url, summarizer: v2 });
    try {
      expect([...(await summaries(second, v2)).values()].sort()).toEqual(['n=1', 'n=2']);
      // Asked for v1 now, the store computes it from the spans (the kept rows are v2's).
      v1.calls = 0;
      expect((await summaries(second, v1)).size).toBe(2);
      expect(v1.calls).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('upgrades a schema version 1 database: its traces get summaries', async () => {
    await resetTestDatabase(db.url);
    const store = await PostgresTraceStore.open({ url: db.url });
    await store.append([span(7, 0), span(8, 0)]);
    await store.close();
    // Back to version 1 as it was released: no summary tables, one span per row (each of
    // these groups holds one), its doc the span itself.
    await queryOnce(
      db.url,
      `DROP TABLE hivelab.summaries, hivelab.summary_dirty, hivelab.summary_groups, hivelab.summary_changes;
       DROP INDEX hivelab.spans_slow;
       ALTER TABLE hivelab.spans DROP COLUMN span_count, DROP COLUMN ts_max;
       UPDATE hivelab.spans SET doc = substr(doc, 2, length(doc) - 2);
       UPDATE hivelab.schema_version SET version = 1`,
    );
    const summarizer = countingSummarizer('up-1');
    const upgraded = await PostgresTraceStore.open({ url: db.url, summarizer });
    try {
      expect((await queryOnce(db.url, 'SELECT version FROM hivelab.schema_version')).rows[0].version).toBe(5);
      // Version 3's partial index for slow-span searches, on every partition.
      const slow = await queryOnce(
        db.url,
        "SELECT count(*)::int AS n FROM pg_indexes WHERE indexdef LIKE '%WHERE (duration >= 100000)%'",
      );
      expect(slow.rows[0].n).toBeGreaterThanOrEqual(2);
      // Version 4's change log of summaries: the catch-up of the upgrade's traces is in it.
      const logged = await upgraded.summaryChanges(summarizer, 0);
      expect(logged?.changed).not.toBe('all');
      expect((logged?.changed as unknown[]).length).toBeGreaterThan(0);
      expect([...(await summaries(upgraded, summarizer)).keys()].sort()).toEqual([traceId(7), traceId(8)]);
      // Version 5's span groups: the rows from before read as one span each, beside new ones.
      await upgraded.append([span(7, 1), span(7, 2)]);
      expect((await upgraded.getTrace(traceId(7))).length).toBe(3);
      expect((await upgraded.stats()).spanCount).toBe(4);
    } finally {
      await upgraded.close();
    }
  });
});
