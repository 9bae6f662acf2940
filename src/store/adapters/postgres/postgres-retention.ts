/**
 * Retention for the PostgreSQL store, by whole partitions:
 *
 * - age: a partition whose every span is older than the cutoff is dropped (one catalog
 *   change, no row deletes, the space returns to the file system at once). A partition
 *   still holding spans of a trace that goes on past the cutoff (checked over its last
 *   `STRADDLE_US`) instead loses only the traces that ended before the cutoff, and is
 *   dropped in a later pass. The partition the cutoff falls in is kept whole, so a span
 *   lives up to one partition width (a day by default) past `maxAge`.
 * - size: the oldest partitions are dropped until the store fits; when the newest partition
 *   alone is too big, its oldest traces are deleted and the partition rewritten
 *   (`VACUUM FULL`, which locks it while it runs: a limit that small is a configuration
 *   to fix, and the collector logs it).
 * The kept summaries (and marks) of traces left without a span go in the same transaction.
 */
import type pg from 'pg';
import type { RetentionPolicy } from '../../trace-store.js';
import { PG_SCHEMA, partitionName, partitionStartOf } from './postgres-schema.js';
import { forgetDeletedTraces } from './postgres-summaries.js';

/** How far back from a partition's end to look for traces that continue past it. */
const STRADDLE_US = 3_600_000_000;
/** The latest span start of a row `s` (a span group; rows before schema version 5 hold one span). */
const NEWEST_START = 'coalesce(s.ts_max, s.ts)';
/** Rounds of "delete the oldest traces of the last partition, rewrite, measure". */
const MAX_SIZE_ROUNDS = 10;

export interface RetentionDeps {
  pool: pg.Pool;
  partitionUs: number;
  writerId: string;
  sizeBytes(): Promise<number>;
  /** Called after partitions were dropped (the writer forgets them). */
  onDropped(): void;
}

async function partitionStarts(pool: pg.Pool): Promise<number[]> {
  const result = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = '${PG_SCHEMA}.spans'::regclass`,
  );
  return result.rows
    .map((r) => partitionStartOf(r.name))
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
}

/** Drops one partition and its counts in one transaction; resolves to the spans it held. */
async function dropPartition(deps: RetentionDeps, start: number): Promise<number> {
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`DROP TABLE IF EXISTS ${PG_SCHEMA}.${partitionName(start)}`);
    const counts = await client.query<{ n: string }>(
      `DELETE FROM ${PG_SCHEMA}.span_counts WHERE partition_start = $1 RETURNING n`,
      [start],
    );
    await forgetDeletedTraces(client, start + deps.partitionUs);
    await client.query('COMMIT');
    return counts.rows.reduce((sum, r) => sum + Number(r.n), 0);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Deletes rows of one partition in one transaction, keeping the span counts exact. */
async function deleteRows(
  deps: RetentionDeps,
  start: number,
  where: string,
  values: unknown[],
): Promise<number> {
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    // A row holds span_count spans (a span group, see postgres-schema.ts).
    const deleted = await client.query<{ n: string | null }>(
      `WITH gone AS (DELETE FROM ${PG_SCHEMA}.${partitionName(start)} p WHERE ${where} RETURNING span_count)
       SELECT sum(span_count) AS n FROM gone`,
      values,
    );
    const n = Number(deleted.rows[0]?.n ?? 0);
    await client.query(
      `INSERT INTO ${PG_SCHEMA}.span_counts (partition_start, writer, n) VALUES ($1, $2, $3)
       ON CONFLICT (partition_start, writer) DO UPDATE SET n = span_counts.n + excluded.n`,
      [start, deps.writerId, -n],
    );
    if (n > 0) await forgetDeletedTraces(client, start + deps.partitionUs);
    await client.query('COMMIT');
    return n;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function applyAge(deps: RetentionDeps, cutoffUs: number): Promise<number> {
  let deleted = 0;
  let dropped = false;
  for (const start of await partitionStarts(deps.pool)) {
    const end = start + deps.partitionUs;
    if (end > cutoffUs) break;
    const table = `${PG_SCHEMA}.${partitionName(start)}`;
    const alive = await deps.pool.query(
      `SELECT 1 FROM ${table} p WHERE p.ts >= $1 AND EXISTS (
         SELECT 1 FROM ${PG_SCHEMA}.spans s WHERE s.trace_id = p.trace_id AND ${NEWEST_START} >= $2) LIMIT 1`,
      [end - STRADDLE_US, cutoffUs],
    );
    if (alive.rowCount === 0) {
      deleted += await dropPartition(deps, start);
      dropped = true;
    } else {
      deleted += await deleteRows(
        deps,
        start,
        `NOT EXISTS (SELECT 1 FROM ${PG_SCHEMA}.spans s WHERE s.trace_id = p.trace_id AND ${NEWEST_START} >= $1)`,
        [cutoffUs],
      );
    }
  }
  if (dropped) deps.onDropped();
  return deleted;
}

async function applySize(
  deps: RetentionDeps,
  maxBytes: number,
  log: (line: string) => void,
): Promise<number> {
  let deleted = 0;
  let starts = await partitionStarts(deps.pool);
  while (starts.length > 1 && (await deps.sizeBytes()) > maxBytes) {
    deleted += await dropPartition(deps, starts[0]!);
    deps.onDropped();
    starts = starts.slice(1);
  }
  const last = starts[0];
  if (last === undefined) return deleted;
  const table = `${PG_SCHEMA}.${partitionName(last)}`;
  for (let round = 0; round < MAX_SIZE_ROUNDS; round++) {
    const size = await deps.sizeBytes();
    if (size <= maxBytes) break;
    if (round === 0) {
      log(
        `the trace store's newest partition alone exceeds --retention-size (${size} > ${maxBytes} bytes): ` +
          'deleting its oldest traces and rewriting it, which blocks writes while it runs; ' +
          'allow more space, or create the database with narrower partitions (?partition=1h)',
      );
    }
    const own = await deps.pool.query<{ bytes: string; traces: string }>(
      `SELECT pg_total_relation_size('${table}'::regclass) AS bytes, count(DISTINCT trace_id) AS traces FROM ${table}`,
    );
    const bytes = Number(own.rows[0]?.bytes ?? 0);
    const traces = Number(own.rows[0]?.traces ?? 0);
    if (traces === 0) break;
    // Aim a little past the target: the rewrite keeps fixed overheads (index roots, pages).
    const fraction = Math.min(1, ((size - maxBytes) / Math.max(1, bytes)) * 1.2);
    const n = Math.max(1, Math.ceil(traces * fraction));
    const removed = await deleteRows(
      deps,
      last,
      `p.trace_id IN (SELECT trace_id FROM ${table} GROUP BY trace_id ORDER BY min(ts) LIMIT $1)`,
      [n],
    );
    deleted += removed;
    await deps.pool.query(`VACUUM FULL ${table}`);
    if (removed === 0) break;
  }
  return deleted;
}

/** Applies the policy; resolves to the number of spans deleted. */
export async function applyPgRetention(
  deps: RetentionDeps,
  policy: RetentionPolicy,
  nowMs: number,
  log: (line: string) => void,
): Promise<number> {
  let deleted = 0;
  if (policy.maxAgeMs !== undefined) deleted += await applyAge(deps, (nowMs - policy.maxAgeMs) * 1000);
  if (policy.maxBytes !== undefined) deleted += await applySize(deps, policy.maxBytes, log);
  return deleted;
}
