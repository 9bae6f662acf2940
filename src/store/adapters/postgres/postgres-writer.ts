/**
 * The write path of the PostgreSQL store: one transaction per group commit, answered only
 * after COMMIT (and its WAL flush). Besides the spans, it adds this writer's per-partition
 * counts, the new dictionary facts (`ON CONFLICT DO NOTHING`) and the traces' summary marks,
 * all in one statement of data-modifying CTEs. The spans go in one of two ways:
 * - a small commit (few appends in flight): the spans as column parameters of that same
 *   statement, so the whole commit is one round trip. Each round trip waits for the
 *   collector's busy event loop as well as the database, and with few appends in flight
 *   those waits were the ingest rate;
 * - a large one: BEGIN, COPY, the statement, COMMIT. At this size the round trips no longer
 *   matter and COPY costs PostgreSQL less CPU per span than unnesting arrays.
 * Measured with bench/store-postgres (load ~2): one statement took 8 appenders in flight from
 * 45-50 k to 51-60 k spans/s; one statement for every commit took 128 in flight to 0.43×
 * SQLite, against 0.47-0.55× with COPY.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MAX_VALUES_PER_TAG_KEY } from '../../autocomplete.js';
import { copyDataOf, DOC_SEPARATOR, type PgRowBatch } from './postgres-rows.js';
import { PG_SCHEMA, partitionName } from './postgres-schema.js';
import { dirtyMarks, markDirtySql } from './postgres-summaries.js';

/** Commits of fewer spans go as one statement, larger ones with COPY (see above). */
export const SINGLE_STATEMENT_MAX_SPANS = 1000;

const COPY_SQL = `COPY ${PG_SCHEMA}.spans (trace_id, ts, ts_max, duration, service, doc, span_count) FROM STDIN`;

/**
 * Counts ($1 writer, $2-$3), facts ($4-$11) and marks ($12-$13). Every writer runs the same
 * text, so concurrent commits (ours or another collector's) take their row locks table by
 * table in one order, and within a table in sorted order (facts and marks are sorted): two
 * commits adding the same new fact wait on each other, never in a circle.
 */
const MARKS_CTES = `counts AS (
    INSERT INTO ${PG_SCHEMA}.span_counts (partition_start, writer, n)
    SELECT p, $1, n FROM unnest($2::bigint[], $3::bigint[]) AS t(p, n)
    ON CONFLICT (partition_start, writer) DO UPDATE SET n = span_counts.n + excluded.n),
  services AS (
    INSERT INTO ${PG_SCHEMA}.services SELECT * FROM unnest($4::text[]) ON CONFLICT DO NOTHING),
  names AS (
    INSERT INTO ${PG_SCHEMA}.span_names SELECT * FROM unnest($5::text[], $6::text[], $7::text[])
    ON CONFLICT DO NOTHING),
  remotes AS (
    INSERT INTO ${PG_SCHEMA}.remote_services SELECT * FROM unnest($8::text[], $9::text[])
    ON CONFLICT DO NOTHING),
  tags AS (
    INSERT INTO ${PG_SCHEMA}.tag_values SELECT * FROM unnest($10::text[], $11::text[])
    ON CONFLICT DO NOTHING)
  ${markDirtySql('$12', '$13')}`;

/** After COPY: everything but the spans. Named: each connection parses and plans it once. */
const MARKS_SQL = `WITH ${MARKS_CTES}`;

/** A whole small commit: the span rows from their columns ($14-$20), then as `MARKS_SQL`. */
const APPEND_SQL = `WITH spans AS (
    INSERT INTO ${PG_SCHEMA}.spans (trace_id, ts, ts_max, duration, service, doc, span_count)
    SELECT decode(i, 'hex'), t, tmax, d, s, doc, n
    FROM unnest($14::text[], $15::bigint[], $16::bigint[], $17::bigint[], $18::text[],
                string_to_array($19, E'\\x1e' /* DOC_SEPARATOR */), $20::integer[])
         AS r(i, t, tmax, d, s, doc, n)),
  ${MARKS_CTES}`;

/** SQLSTATEs of a concurrent CREATE of the same partition (another collector won the race). */
const ALREADY_EXISTS = new Set(['42P07', '23505']);
/** SQLSTATE when a row has no partition (another collector's retention dropped it). */
const NO_PARTITION = '23514';

export class PgSpanWriter {
  readonly #pool: pg.Pool;
  readonly #partitionUs: number;
  /** This store instance's name in `span_counts`. */
  readonly #writerId: string;
  readonly #partitions = new Set<number>();
  /**
   * Facts known to be committed to the dictionaries, so they cost no SQL. A fact another
   * commit of ours is still carrying is sent again (`ON CONFLICT DO NOTHING`): if that
   * commit fails, this one must not have counted on it.
   */
  readonly #known = new Set<string>();
  readonly #valuesPerKey = new Map<string, number>();
  /**
   * Commits of this writer run concurrently (see GroupCommit); each holds a slot and adds to
   * its own `span_counts` rows, so two of them never wait on one row, nor deadlock on it
   * against their summary marks.
   */
  readonly #freeSlots: number[] = [];
  #slots = 0;

  constructor(pool: pg.Pool, partitionUs: number, writerId: string) {
    this.#pool = pool;
    this.#partitionUs = partitionUs;
    this.#writerId = writerId;
  }

  /** Loads the dictionaries' contents into the caches (called once at open). */
  async loadCaches(): Promise<void> {
    this.#known.clear();
    this.#valuesPerKey.clear();
    const services = await this.#pool.query<{ name: string }>(`SELECT name FROM ${PG_SCHEMA}.services`);
    for (const { name } of services.rows) this.#known.add(`s\u0000${name}`);
    const names = await this.#pool.query<{ service: string; kind: string; name: string }>(
      `SELECT service, kind, name FROM ${PG_SCHEMA}.span_names`,
    );
    for (const r of names.rows) this.#known.add(`n\u0000${r.service}\u0000${r.kind}\u0000${r.name}`);
    const remotes = await this.#pool.query<{ service: string; remote: string }>(
      `SELECT service, remote FROM ${PG_SCHEMA}.remote_services`,
    );
    for (const r of remotes.rows) this.#known.add(`r\u0000${r.service}\u0000${r.remote}`);
    const tags = await this.#pool.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${PG_SCHEMA}.tag_values`,
    );
    for (const r of tags.rows) {
      this.#known.add(`t\u0000${r.key}\u0000${r.value}`);
      this.#valuesPerKey.set(r.key, (this.#valuesPerKey.get(r.key) ?? 0) + 1);
    }
  }

  /** Forgets which partitions exist (after retention dropped some). */
  forgetPartitions(): void {
    this.#partitions.clear();
  }

  /** Writes the batches in one transaction; resolves to the spans written, after COMMIT. */
  async write(batches: readonly PgRowBatch[]): Promise<number> {
    const slot = this.#freeSlots.pop() ?? this.#slots++;
    const writer = slot === 0 ? this.#writerId : `${this.#writerId}/${slot}`;
    try {
      return await this.#writeOnce(batches, writer);
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      this.#partitions.clear();
      return await this.#writeOnce(batches, writer);
    } finally {
      this.#freeSlots.push(slot);
    }
  }

  async #writeOnce(batches: readonly PgRowBatch[], writer: string): Promise<number> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    const learned: string[] = [];
    try {
      const counts = new Map<number, number>();
      for (const batch of batches) {
        for (const [start, n] of batch.partitions) counts.set(start, (counts.get(start) ?? 0) + n);
      }
      await this.#ensurePartitions(client, [...counts.keys()]);
      const spanCount = batches.reduce((sum, b) => sum + b.spanCount, 0);
      const marks = [
        writer,
        [...counts.keys()],
        [...counts.values()],
        ...this.#freshFacts(batches, learned),
        ...dirtyMarks(tracesOf(batches)),
      ];
      if (spanCount < SINGLE_STATEMENT_MAX_SPANS) {
        // One statement is one transaction: it commits before it answers.
        await client.query({
          name: 'hivelab-append',
          text: APPEND_SQL,
          values: [...marks, ...columnsOf(batches)],
        });
      } else {
        await client.query('BEGIN');
        try {
          await pipeline(Readable.from(copyDataOf(batches)), client.query(copyFrom(COPY_SQL)));
          await client.query({ name: 'hivelab-append-marks', text: MARKS_SQL, values: marks });
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError as Error;
          });
          throw error;
        }
      }
      for (const key of learned) this.#known.add(key);
      return spanCount;
    } catch (error) {
      broken ??= error as Error;
      throw error;
    } finally {
      // A client whose connection failed is discarded, not returned to the pool.
      client.release(broken !== undefined && isBrokenConnection(broken) ? broken : undefined);
    }
  }

  async #ensurePartitions(client: pg.PoolClient, starts: readonly number[]): Promise<void> {
    for (const start of starts) {
      if (this.#partitions.has(start)) continue;
      try {
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${PG_SCHEMA}.${partitionName(start)} PARTITION OF ${PG_SCHEMA}.spans
           FOR VALUES FROM (${start}) TO (${start + this.#partitionUs})`,
        );
      } catch (error) {
        if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
      }
      this.#partitions.add(start);
    }
  }

  /**
   * The batches' dictionary facts not known to be committed yet, as the statement's column
   * parameters ($4-$11), each table's rows sorted; their keys go to `learned`.
   */
  #freshFacts(batches: readonly PgRowBatch[], learned: string[]): string[][] {
    const seen = new Set<string>();
    const fresh = (key: string): boolean => {
      if (this.#known.has(key) || seen.has(key)) return false;
      seen.add(key);
      learned.push(key);
      return true;
    };
    const services: string[] = [];
    const names: [string[], string[], string[]] = [[], [], []];
    const remotes: [string[], string[]] = [[], []];
    const tags: [string[], string[]] = [[], []];
    for (const batch of batches) {
      for (const s of batch.services) if (fresh(`s\u0000${s}`)) services.push(s);
      for (const [s, k, n] of batch.spanNames) {
        if (!fresh(`n\u0000${s}\u0000${k}\u0000${n}`)) continue;
        names[0].push(s);
        names[1].push(k);
        names[2].push(n);
      }
      for (const [s, r] of batch.remoteServices) {
        if (!fresh(`r\u0000${s}\u0000${r}`)) continue;
        remotes[0].push(s);
        remotes[1].push(r);
      }
      for (const [k, v] of batch.tagValues) {
        const count = this.#valuesPerKey.get(k) ?? 0;
        // Values are remembered up to a cap per key, so unbounded tags cannot grow the table.
        if (count >= MAX_VALUES_PER_TAG_KEY || !fresh(`t\u0000${k}\u0000${v}`)) continue;
        this.#valuesPerKey.set(k, count + 1);
        tags[0].push(k);
        tags[1].push(v);
      }
    }
    return [...sortedRows([services]), ...sortedRows(names), ...sortedRows(remotes), ...sortedRows(tags)];
  }
}

/** The columns with their rows in sorted order (compared column by column). */
function sortedRows(columns: string[][]): string[][] {
  const rows = columns[0]?.length ?? 0;
  if (rows < 2) return columns;
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => {
    for (const column of columns) {
      const x = column[a]!;
      const y = column[b]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  return columns.map((column) => order.map((i) => column[i]!));
}

/** The span rows of the batches as `APPEND_SQL`'s column parameters ($14-$20). */
function columnsOf(batches: readonly PgRowBatch[]): unknown[] {
  return [
    batches.flatMap((b) => b.traceIds),
    batches.flatMap((b) => b.timestamps),
    batches.flatMap((b) => b.latestTimestamps),
    batches.flatMap((b) => b.durations),
    batches.flatMap((b) => b.spanServices),
    batches.map((b) => b.docs.join(DOC_SEPARATOR)).join(DOC_SEPARATOR),
    batches.flatMap((b) => b.spanCounts),
  ];
}

/** The traces of the batches with their earliest span start. */
function tracesOf(batches: readonly PgRowBatch[]): Map<string, number> {
  if (batches.length === 1) return batches[0]!.traces;
  const out = new Map<string, number>();
  for (const batch of batches) {
    for (const [id, ts] of batch.traces) {
      const seen = out.get(id);
      if (seen === undefined || ts < seen) out.set(id, ts);
    }
  }
  return out;
}

/** True when the connection itself failed (the client must not be reused). */
function isBrokenConnection(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return code === undefined || code.startsWith('08') || code.startsWith('57') || /^E[A-Z]+$/.test(code);
}
