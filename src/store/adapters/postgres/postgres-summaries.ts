/**
 * The per-trace summaries the PostgreSQL store keeps for the summarizer it was opened with,
 * so `analyze types` over a day of traces reads one row per trace, not every span.
 *
 * Tables (schema version 2, see `postgres-schema.ts`):
 * - `summary_dirty (trace_id, ts)`: traces with spans not yet reflected in a summary. Every
 *   append marks its traces in the same transaction as the spans (whatever summarizer the
 *   writer has, or none), so any collector's spans reach any analyst's summaries.
 * - `summaries (trace_id, ts, version, grp, data)`: one row per trace, `ts` the trace
 *   timestamp; `summary_groups` stores each group text (a request type) once.
 *
 * Catching up takes a slice of dirty rows with `FOR UPDATE SKIP LOCKED`, deletes them,
 * reads those traces and upserts their summaries, in one transaction. The append's mark is
 * an upsert that locks the row, so a race resolves in one of two ways, never losing a span:
 * - the append marked first: its uncommitted row is locked, the catch-up skips it, and a
 *   later slice reads the trace with the new span committed;
 * - the catch-up locked first: the append waits for it, then inserts the mark again
 *   (the row is gone), and the trace is summarised once more with the new span.
 * Marks are written in trace-id order, so two appenders lock rows in one order.
 *
 * Summaries of another summarizer version are worthless: opening with a new version
 * empties `summaries` and marks every trace dirty (once, under the migration lock).
 */
import type pg from 'pg';
import type { Span } from '../../../spans/index.js';
import { mergeSpans } from '../../merge-spans.js';
import { sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';
import type { SummaryChanges, SummaryQuery, TraceSummarizer, TraceSummary } from '../../trace-summary.js';
import { spansOfDoc } from './postgres-rows.js';
import { PG_SCHEMA } from './postgres-schema.js';
import {
  logAllSummariesChanged,
  logSummaryChanges,
  pruneSummaryChanges,
  readSummaryChanges,
} from './postgres-summary-changes.js';

/** Traces summarised per catch-up transaction: short enough not to hold locks for long. */
export const SUMMARY_SLICE_TRACES = 1000;
/** The change log is pruned once every so many catch-up slices. */
const PRUNE_EVERY_SLICES = 64;
/** Summaries per page of a kept-summary scan. */
const PAGE = 5000;
/** Key of the advisory lock taken while switching the summarizer version. */
const VERSION_LOCK = 0x73756d6d; // "summ"

/**
 * The statement marking an append's traces dirty, with `$ids` (hex, sorted) and `$ts` as
 * its parameters: the writer runs it as the last part of its own statement (one round trip).
 */
export function markDirtySql(ids: string, ts: string): string {
  return `INSERT INTO ${PG_SCHEMA}.summary_dirty (trace_id, ts)
    SELECT decode(id, 'hex'), ts FROM unnest(${ids}::text[], ${ts}::bigint[]) AS t(id, ts) ORDER BY id
    ON CONFLICT (trace_id) DO UPDATE SET ts = least(summary_dirty.ts, excluded.ts)`;
}

/** The parameters of `markDirtySql`: trace ids in order (so writers lock rows alike). */
export function dirtyMarks(traces: ReadonlyMap<string, number>): [string[], number[]] {
  const ids = [...traces.keys()].sort();
  return [ids, ids.map((id) => traces.get(id) ?? 0)];
}

/** Drops summaries and marks of traces that no longer have a span (after retention). */
export async function forgetDeletedTraces(client: pg.ClientBase, beforeUs: number): Promise<void> {
  const orphansOf = (table: string): string =>
    `DELETE FROM ${PG_SCHEMA}.${table} d WHERE d.ts < $1
     AND NOT EXISTS (SELECT 1 FROM ${PG_SCHEMA}.spans s WHERE s.trace_id = d.trace_id)`;
  // The deleted summaries' timestamps go to the change log, in this same transaction.
  const deleted = await client.query<{ ts: string }>(`${orphansOf('summaries')} RETURNING d.ts`, [beforeUs]);
  await logSummaryChanges(
    client,
    deleted.rows.map((r) => Number(r.ts)),
  );
  await client.query(orphansOf('summary_dirty'), [beforeUs]);
}

export class PgSummaryCache {
  readonly summarizer: TraceSummarizer;
  readonly #pool: pg.Pool;
  readonly #groupIds = new Map<string, number>();
  readonly #groupTexts = new Map<number, string>();
  /** Catch-up slices this cache ran (the change log is pruned every so many). */
  #slices = 0;

  private constructor(pool: pg.Pool, summarizer: TraceSummarizer) {
    this.#pool = pool;
    this.summarizer = summarizer;
  }

  /** Opens the cache, resetting it when the database kept another summarizer's summaries. */
  static async open(pool: pg.Pool, summarizer: TraceSummarizer): Promise<PgSummaryCache> {
    const client = await pool.connect();
    try {
      const version = async (): Promise<string | undefined> =>
        (
          await client.query<{ value: string }>(
            `SELECT value FROM ${PG_SCHEMA}.meta WHERE key = 'summary_version'`,
          )
        ).rows[0]?.value;
      if ((await version()) !== summarizer.version) {
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1)', [VERSION_LOCK]);
          if ((await version()) !== summarizer.version) {
            await client.query(`TRUNCATE ${PG_SCHEMA}.summaries`);
            await logAllSummariesChanged(client);
            await client.query(
              `INSERT INTO ${PG_SCHEMA}.summary_dirty (trace_id, ts)
               SELECT trace_id, min(ts) FROM ${PG_SCHEMA}.spans GROUP BY trace_id
               ON CONFLICT (trace_id) DO NOTHING`,
            );
            await client.query(
              `INSERT INTO ${PG_SCHEMA}.meta VALUES ('summary_version', $1)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
              [summarizer.version],
            );
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
    } finally {
      client.release();
    }
    return new PgSummaryCache(pool, summarizer);
  }

  /** Summarises up to `limit` dirty traces in one transaction; resolves to how many (0: none left). */
  async catchUpSlice(limit = SUMMARY_SLICE_TRACES): Promise<number> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const taken = await client.query<{ id: string }>(
          `DELETE FROM ${PG_SCHEMA}.summary_dirty WHERE trace_id IN (
             SELECT trace_id FROM ${PG_SCHEMA}.summary_dirty LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING encode(trace_id, 'hex') AS id`,
          [limit],
        );
        const ids = taken.rows.map((r) => r.id);
        if (ids.length > 0) await this.#summarise(client, ids);
        // Now and then, not every slice: the log is pruned by count.
        if (ids.length > 0 && this.#slices++ % PRUNE_EVERY_SLICES === 0) await pruneSummaryChanges(client);
        await client.query('COMMIT');
        return ids.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  /** True when some trace waits to be summarised (maybe by another process). */
  async dirty(): Promise<boolean> {
    const result = await this.#pool.query(`SELECT 1 FROM ${PG_SCHEMA}.summary_dirty LIMIT 1`);
    return (result.rowCount ?? 0) > 0;
  }

  async #summarise(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
    const rows = await client.query<{ id: string; doc: string }>({
      text: `SELECT encode(trace_id, 'hex') AS id, doc FROM ${PG_SCHEMA}.spans WHERE trace_id = ANY($1::bytea[])`,
      values: [ids.map((id) => Buffer.from(id, 'hex'))],
    });
    const traces = new Map<string, Span[]>();
    for (const { id, doc } of rows.rows) {
      const spans = spansOfDoc(id, doc);
      const list = traces.get(id);
      if (list === undefined) traces.set(id, spans);
      else list.push(...spans);
    }
    const out: { id: string; ts: number; group: string; data: string }[] = [];
    for (const [id, list] of traces) {
      const spans = sortByTimestamp(mergeSpans(list));
      out.push({ id, ts: traceTimestampUs(spans), ...this.summarizer.summarize(spans) });
    }
    out.sort((a, b) => (a.id < b.id ? -1 : 1));
    const groups = await this.#groupIdsOf(
      client,
      out.map((o) => o.group),
    );
    // The rewritten summaries' timestamps before (a late span may move a trace) and after.
    const previous = await client.query<{ ts: string }>(
      `WITH up AS (
         INSERT INTO ${PG_SCHEMA}.summaries (trace_id, ts, version, grp, data)
         SELECT decode(id, 'hex'), ts, $1, grp, data
         FROM unnest($2::text[], $3::bigint[], $4::integer[], $5::text[]) AS t(id, ts, grp, data)
         ON CONFLICT (trace_id) DO UPDATE
           SET ts = excluded.ts, version = excluded.version, grp = excluded.grp, data = excluded.data)
       SELECT ts FROM ${PG_SCHEMA}.summaries WHERE trace_id = ANY(SELECT decode(id, 'hex') FROM unnest($2::text[]) AS i(id))`,
      [
        this.summarizer.version,
        out.map((o) => o.id),
        out.map((o) => o.ts),
        out.map((o) => groups.get(o.group)),
        out.map((o) => o.data),
      ],
    );
    await logSummaryChanges(client, [...previous.rows.map((r) => Number(r.ts)), ...out.map((o) => o.ts)]);
  }

  /** The ranges of trace timestamps whose summaries changed since `since` (see the change log). */
  changesSince(since: number | undefined): Promise<SummaryChanges> {
    return readSummaryChanges(this.#pool, since);
  }

  /** Ids of the group texts, inserting the new ones (in text order, as every writer does). */
  async #groupIdsOf(client: pg.PoolClient, texts: readonly string[]): Promise<Map<string, number>> {
    const missing = [...new Set(texts.filter((t) => !this.#groupIds.has(t)))].sort();
    if (missing.length > 0) {
      await client.query(
        `INSERT INTO ${PG_SCHEMA}.summary_groups (text) SELECT * FROM unnest($1::text[]) ORDER BY 1
         ON CONFLICT (text) DO NOTHING`,
        [missing],
      );
      const found = await client.query<{ id: number; text: string }>(
        `SELECT id, text FROM ${PG_SCHEMA}.summary_groups WHERE text = ANY($1::text[])`,
        [missing],
      );
      for (const { id, text } of found.rows) this.#remember(id, text);
    }
    return this.#groupIds;
  }

  #remember(id: number, text: string): void {
    this.#groupIds.set(text, id);
    this.#groupTexts.set(id, text);
  }

  /** Pages of kept summaries in the window, newest first (keyset-paged, no open cursor). */
  async *pages(query: SummaryQuery): AsyncIterable<TraceSummary[]> {
    const fromUs = (query.endTsMs - query.lookbackMs) * 1000;
    const toUs = query.endTsMs * 1000;
    let left = query.limit ?? Infinity;
    let cursor: { ts: string; id: string } | undefined;
    while (left > 0) {
      const size = Math.min(PAGE, left);
      const result = await this.#pool.query<{ id: string; ts: string; grp: number; data: string }>({
        text: `SELECT encode(trace_id, 'hex') AS id, ts, grp, data FROM ${PG_SCHEMA}.summaries
               WHERE version = $1 AND ts > $2 AND ${cursor ? "(ts, trace_id) < ($3, decode($4, 'hex'))" : 'ts <= $3'}
               ORDER BY ts DESC, trace_id DESC LIMIT ${size}`,
        values: cursor
          ? [this.summarizer.version, fromUs, cursor.ts, cursor.id]
          : [this.summarizer.version, fromUs, toUs],
      });
      if (result.rows.length === 0) return;
      await this.#loadGroups(result.rows.map((r) => r.grp));
      const page: TraceSummary[] = result.rows.map((r) => ({
        traceId: r.id,
        timestampUs: Number(r.ts),
        group: this.#groupTexts.get(r.grp) ?? '',
        data: r.data,
      }));
      const last = result.rows[result.rows.length - 1]!;
      cursor = { ts: last.ts, id: last.id };
      left -= page.length;
      yield page;
      if (result.rows.length < size) return;
    }
  }

  async #loadGroups(ids: readonly number[]): Promise<void> {
    const missing = [...new Set(ids.filter((id) => !this.#groupTexts.has(id)))];
    if (missing.length === 0) return;
    const found = await this.#pool.query<{ id: number; text: string }>(
      `SELECT id, text FROM ${PG_SCHEMA}.summary_groups WHERE id = ANY($1::integer[])`,
      [missing],
    );
    for (const { id, text } of found.rows) this.#remember(id, text);
  }
}
