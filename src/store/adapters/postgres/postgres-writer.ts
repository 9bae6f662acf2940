/**
 * The write path of the PostgreSQL store: one transaction per group commit. The spans go
 * in with COPY (routed to their partitions by PostgreSQL), new dictionary facts with one
 * multi-row `INSERT … ON CONFLICT DO NOTHING` each, and the per-partition counts with one
 * upsert of this writer's own rows. The caller resolves appends only after COMMIT returned.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MAX_VALUES_PER_TAG_KEY } from '../../autocomplete.js';
import type { PgRowBatch } from './postgres-rows.js';
import { PG_SCHEMA, partitionName } from './postgres-schema.js';
import { dirtyMarks, markDirtySql } from './postgres-summaries.js';

const COPY_SQL = `COPY ${PG_SCHEMA}.spans (trace_id, ts, duration, service, doc) FROM STDIN`;

/**
 * The span counts and the summary marks in one statement: one round trip per commit. Named,
 * so each connection parses and plans it once (every commit runs it).
 */
const COMMIT_MARKS_SQL = `WITH counts AS (
    INSERT INTO ${PG_SCHEMA}.span_counts (partition_start, writer, n)
    SELECT p, $1, n FROM unnest($2::bigint[], $3::bigint[]) AS t(p, n)
    ON CONFLICT (partition_start, writer) DO UPDATE SET n = span_counts.n + excluded.n)
  ${markDirtySql('$4', '$5')}`;

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
      await client.query('BEGIN');
      try {
        await pipeline(Readable.from(batches.map((b) => b.copyData)), client.query(copyFrom(COPY_SQL)));
        await this.#writeFacts(client, batches, learned);
        await client.query({
          name: 'hivelab-commit-marks',
          text: COMMIT_MARKS_SQL,
          values: [writer, [...counts.keys()], [...counts.values()], ...dirtyMarks(tracesOf(batches))],
        });
        await client.query('COMMIT');
        for (const key of learned) this.#known.add(key);
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError as Error;
        });
        throw error;
      }
      return batches.reduce((sum, b) => sum + b.spanCount, 0);
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

  async #writeFacts(client: pg.PoolClient, batches: readonly PgRowBatch[], learned: string[]): Promise<void> {
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
    // Rows in sorted order, tables in one order: concurrent commits (ours or another
    // collector's) that insert the same new fact wait on each other in one order, never in a circle.
    const upsert = async (sql: string, columns: string[][]): Promise<void> => {
      const rows = columns[0]?.length ?? 0;
      if (rows === 0) return;
      const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => {
        for (const column of columns) {
          const x = column[a]!;
          const y = column[b]!;
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
      await client.query(
        sql,
        columns.map((column) => order.map((i) => column[i]!)),
      );
    };
    await upsert(
      `INSERT INTO ${PG_SCHEMA}.services SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING`,
      [services],
    );
    await upsert(
      `INSERT INTO ${PG_SCHEMA}.span_names SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING`,
      names,
    );
    await upsert(
      `INSERT INTO ${PG_SCHEMA}.remote_services SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      remotes,
    );
    await upsert(
      `INSERT INTO ${PG_SCHEMA}.tag_values SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      tags,
    );
  }
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
