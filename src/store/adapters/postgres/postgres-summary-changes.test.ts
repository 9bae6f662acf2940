/**
 * `summaryChanges` of the PostgreSQL store: which trace-timestamp ranges of the kept
 * summaries changed since a token, as SQLite's (sqlite-summary-changes.test.ts), plus what
 * only a shared database has: another collector's catch-up, transactions that commit out of
 * order, and pruning.
 *
 * A range may be heard of twice, in the answer after the one that carried it: tokens are the
 * xmin of the reader's snapshot, and xids are the whole cluster's, so another test's open
 * transaction can hold the xmin back (see postgres-summary-changes.ts). `expectChanges`
 * allows exactly that, and nothing else.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesSpan } from '../../testing/summary-changes-scenario.js';
import { countingSummarizer } from '../../testing/trace-summary-contract.js';
import { KEPT_CHANGES } from '../../summary-change-ranges.js';
import type { SummaryChanges, TimestampRange } from '../../trace-summary.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  queryOnce,
  resetTestDatabase,
  type TestDatabase,
} from './testing/pg-test-database.js';

const T_US = 1_767_225_600_000_000;
const span = (trace: number, id: number, startUs: number, parent?: number) =>
  changesSpan(trace, id, startUs, parent, 0xc0000);
const at = (us: number): TimestampRange => ({ fromUs: us, toUs: us });
const key = (r: TimestampRange): string => `${r.fromUs}:${r.toUs}`;

/** Every expected range is there; any other one was expected by the answer before. */
function expectChanges(
  actual: SummaryChanges | undefined,
  expected: TimestampRange[],
  before: TimestampRange[] = [],
): void {
  expect(actual).toBeDefined();
  const changed = (actual as SummaryChanges).changed;
  expect(changed).not.toBe('all');
  const got = new Set((changed as TimestampRange[]).map(key));
  for (const range of expected) expect(got).toContain(key(range));
  const allowed = new Set([...expected, ...before].map(key));
  for (const range of got) expect(allowed).toContain(range);
}

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('PostgresTraceStore.summaryChanges'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  const open = (summarizer = countingSummarizer(), summaryDelayMs?: number) =>
    PostgresTraceStore.open({
      url: db.url,
      partitionMs: 60_000,
      summarizer,
      ...(summaryDelayMs !== undefined ? { summaryDelayMs } : {}),
    });

  it('reports new traces, late spans (old and new timestamps) and deletions', async () => {
    await resetTestDatabase(db.url);
    const summarizer = countingSummarizer();
    const store = await open(summarizer);
    try {
      const first = await store.summaryChanges(summarizer);
      expect(first?.changed).toBe('all');
      let token = first!.token;
      let before: TimestampRange[] = [];
      const step = async (expected: TimestampRange[]): Promise<void> => {
        const changes = await store.summaryChanges(summarizer, token);
        expectChanges(changes, expected, before);
        token = changes!.token;
        before = expected;
      };
      await step([]);

      await store.append([span(1, 1, T_US), span(2, 2, T_US + 500_000_000)]);
      await step([at(T_US), at(T_US + 500_000_000)]);
      await step([]);

      // A late root 200 s earlier: trace 2's summary moves from its old timestamp to the new one.
      await store.append([span(2, 3, T_US + 300_000_000), span(2, 2, T_US + 500_000_000, 3)]);
      await step([at(T_US + 300_000_000), at(T_US + 500_000_000)]);

      // Retention drops trace 1's partition (its newest span is the oldest).
      expect(await store.applyRetention({ maxAgeMs: 1000 }, T_US / 1000 + 100_000)).toBe(1);
      await step([at(T_US)]);

      // A token from the future, not a token, or no summaries kept for this summarizer.
      expect((await store.summaryChanges(summarizer, token + 1_000_000))?.changed).toBe('all');
      expect((await store.summaryChanges(summarizer, -1))?.changed).toBe('all');
      expect(await store.summaryChanges(countingSummarizer('other'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("hears of another collector's catch-up, and of one that commits after a later one", async () => {
    await resetTestDatabase(db.url);
    const summarizer = countingSummarizer();
    // Ours never catches up on its own timer: what it hears of is the others' work.
    const ours = await open(summarizer, 60_000);
    const theirs = await open(summarizer);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      const { token } = (await ours.summaryChanges(summarizer))!;
      await theirs.append([span(7, 1, T_US + 42)]);
      await theirs.summaryChanges(summarizer);
      // A catch-up of a third process that took its xid first and commits last.
      await holder.query('BEGIN');
      await holder.query(`INSERT INTO hivelab.summary_changes (from_ts, to_ts) VALUES ($1, $1)`, [T_US + 7]);
      const middle = (await ours.summaryChanges(summarizer, token))!;
      expectChanges(middle, [at(T_US + 42)]);
      await theirs.append([span(8, 1, T_US + 99)]);
      await theirs.summaryChanges(summarizer);
      await holder.query('COMMIT');
      // Committed after a later transaction, still heard of: the token waited for it.
      expectChanges(
        await ours.summaryChanges(summarizer, middle.token),
        [at(T_US + 7), at(T_US + 99)],
        [at(T_US + 42)],
      );
    } finally {
      await holder.end();
      await theirs.close();
      await ours.close();
    }
  });

  it('keeps the newest changes only, and answers "all" to a reader the pruning left behind', async () => {
    await resetTestDatabase(db.url);
    const summarizer = countingSummarizer();
    const store = await open(summarizer);
    try {
      const { token } = (await store.summaryChanges(summarizer))!;
      // More rows than are kept (one old transaction's), a few newer ones, then a catch-up
      // (a new store's first slice prunes).
      await queryOnce(
        db.url,
        `INSERT INTO hivelab.summary_changes (from_ts, to_ts) SELECT g, g FROM generate_series(1, $1) g`,
        [KEPT_CHANGES + 500],
      );
      for (let i = 0; i < 3; i++)
        await queryOnce(db.url, 'INSERT INTO hivelab.summary_changes (from_ts, to_ts) VALUES (0, 0)');
      await store.append([span(3, 1, T_US)]);
      await store.summaryChanges(summarizer);
      const left = await queryOnce(db.url, 'SELECT count(*)::int AS n FROM hivelab.summary_changes');
      expect(left.rows[0].n).toBeLessThanOrEqual(KEPT_CHANGES + 1);
      expect((await store.summaryChanges(summarizer, token))?.changed).toBe('all');
    } finally {
      await store.close();
    }
  });

  it('starts over with every timestamp when the summaries are rebuilt for a new summarizer version', async () => {
    await resetTestDatabase(db.url);
    const old = countingSummarizer('v1');
    const store = await open(old);
    await store.append([span(9, 1, T_US)]);
    const { token } = (await store.summaryChanges(old))!;
    await store.close();
    const next = countingSummarizer('v2');
    const reopened = await open(next);
    try {
      const changed = (await reopened.summaryChanges(next, token))?.changed;
      expect(changed).not.toBe('all');
      expect(changed).toContainEqual({ fromUs: -Number.MAX_SAFE_INTEGER, toUs: Number.MAX_SAFE_INTEGER });
    } finally {
      await reopened.close();
    }
  });
});
