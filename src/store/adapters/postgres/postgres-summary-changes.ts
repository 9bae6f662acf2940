/**
 * The change log of the kept summaries (`summary_changes`, schema version 4): each
 * transaction that writes or deletes summaries also writes the trace-timestamp ranges it
 * touched, stamped with its own transaction id (`xid8`, the column's default). Readers
 * (`TraceStore.summaryChanges`, behind the analyzer's request-types cache) recompute only
 * those ranges.
 *
 * The token a reader gets is the xmin of its snapshot: every transaction with a smaller id
 * has ended (committed, so its rows were read, or rolled back), and every one still running
 * has an id at least as large. The next read takes rows with `xid >= token`, so a catch-up
 * that committed after a later one (several collectors share the database) is still heard
 * of; a sequence number, handed out in order but committed out of order, would skip it. A
 * row may be heard of twice (committed, but newer than the xmin of the read): a range
 * recomputed twice costs time, not correctness.
 *
 * The log keeps the newest `KEPT_CHANGES` rows; pruning removes only rows of ended
 * transactions and raises `summary_changes_floor` in `meta` past them, and a reader whose
 * token is below the floor is told `'all'`.
 */
import type pg from 'pg';
import {
  ALL_TIMESTAMPS,
  CHANGE_GAP_US,
  coalesceTimestamps,
  KEPT_CHANGES,
} from '../../summary-change-ranges.js';
import type { SummaryChanges } from '../../trace-summary.js';
import { PG_SCHEMA } from './postgres-schema.js';

const FLOOR_KEY = 'summary_changes_floor';

/** Logs the touched timestamps as ranges (inside the transaction that touched them). */
export async function logSummaryChanges(
  client: pg.ClientBase,
  timestampsUs: readonly number[],
): Promise<void> {
  const ranges = coalesceTimestamps(timestampsUs, CHANGE_GAP_US);
  if (ranges.length === 0) return;
  await client.query({
    name: 'hivelab-log-summary-changes',
    text: `INSERT INTO ${PG_SCHEMA}.summary_changes (from_ts, to_ts)
           SELECT * FROM unnest($1::bigint[], $2::bigint[])`,
    values: [ranges.map((r) => r.fromUs), ranges.map((r) => r.toUs)],
  });
}

/** Logs that every summary changed (they were rebuilt for another summarizer version). */
export async function logAllSummariesChanged(client: pg.ClientBase): Promise<void> {
  await client.query(`INSERT INTO ${PG_SCHEMA}.summary_changes (from_ts, to_ts) VALUES ($1, $2)`, [
    ALL_TIMESTAMPS.fromUs,
    ALL_TIMESTAMPS.toUs,
  ]);
}

/**
 * Drops all but the newest `KEPT_CHANGES` rows, of ended transactions only, and raises the
 * floor past them (inside a writing transaction, which serialises on the floor's row).
 */
export async function pruneSummaryChanges(client: pg.ClientBase): Promise<void> {
  // No row at the offset (a short log): `cut` is empty, and so is everything after it.
  await client.query(
    `WITH cut AS (
       SELECT xid::text::bigint AS x FROM ${PG_SCHEMA}.summary_changes ORDER BY xid DESC OFFSET $1 LIMIT 1),
     horizon AS (SELECT least(x, pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1) AS last FROM cut),
     gone AS (
       DELETE FROM ${PG_SCHEMA}.summary_changes
       WHERE xid <= (SELECT last FROM horizon)::text::xid8 RETURNING 1)
     INSERT INTO ${PG_SCHEMA}.meta (key, value)
       SELECT $2, ((SELECT last FROM horizon) + 1)::text FROM gone LIMIT 1
     ON CONFLICT (key) DO UPDATE
       SET value = greatest(meta.value::bigint, excluded.value::bigint)::text`,
    [KEPT_CHANGES, FLOOR_KEY],
  );
}

/** The ranges changed since `since` (a token of an earlier answer), read in one snapshot. */
export async function readSummaryChanges(pool: pg.Pool, since: number | undefined): Promise<SummaryChanges> {
  const valid = isToken(since);
  const result = await pool.query<{ token: string; floor: string | null; rows: [number, number][] }>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS token,
       (SELECT value FROM ${PG_SCHEMA}.meta WHERE key = $2) AS floor,
       (SELECT coalesce(json_agg(json_build_array(from_ts, to_ts)), '[]'::json)
        FROM ${PG_SCHEMA}.summary_changes WHERE xid >= $1::text::xid8) AS rows`,
    [String(valid ? since : 0), FLOOR_KEY],
  );
  const row = result.rows[0]!;
  const token = Number(row.token);
  const floor = Number(row.floor ?? 0);
  if (!isToken(since) || since < floor || since > token) return { token, changed: 'all' };
  const seen = new Set<string>();
  const changed = [];
  for (const [fromUs, toUs] of row.rows) {
    const key = `${fromUs}:${toUs}`;
    if (seen.has(key)) continue;
    seen.add(key);
    changed.push({ fromUs, toUs });
  }
  return { token, changed };
}

/** A token is a non-negative integer; anything else (another store's, a caller's slip) means 'all'. */
function isToken(since: number | undefined): since is number {
  return since !== undefined && Number.isSafeInteger(since) && since >= 0;
}
