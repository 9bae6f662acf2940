/**
 * The PostgreSQL `TraceStore`: for a lab whose traces outgrow one machine, shared by several
 * collectors and analysts. Appends are converted to rows at once and group-committed
 * (appends arriving while a commit runs share the next transaction); each resolves only
 * after its COMMIT returned, i.e. once PostgreSQL made it durable (`synchronous_commit`).
 * See `postgres-schema.ts` for the layout, `postgres-retention.ts` for retention.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { DependencyLink, Span } from '../../../spans/index.js';
import { GroupCommit } from '../../group-commit.js';
import type { RetentionPolicy, StoreStats, TraceQuery, TraceStore } from '../../trace-store.js';
import type { SummaryChanges, SummaryQuery, TraceSummarizer, TraceSummary } from '../../trace-summary.js';
import { classifyWriteError } from './postgres-errors.js';
import { PgSpanReader } from './postgres-reader.js';
import { applyPgRetention } from './postgres-retention.js';
import { toPgRowBatch, type PgRowBatch } from './postgres-rows.js';
import { DAY_US, migrate, PG_SCHEMA } from './postgres-schema.js';
import { parsePgStoreUrl } from './postgres-url.js';
import { PgSummaryCache } from './postgres-summaries.js';
import { PgSpanWriter } from './postgres-writer.js';

export interface PostgresTraceStoreOptions {
  /** `postgres://user:password@host:5432/database[?partition=1d]`. */
  url: string;
  /** Width of a partition in ms for a NEW database (the URL's `partition` wins). @default 1 day */
  partitionMs?: number;
  /** Connections in the pool. @default 4 */
  poolSize?: number;
  /**
   * Append transactions in flight at once (each takes a pool connection): a burst of appends
   * is shared out over them, so PostgreSQL indexes on more than one core. @default 2
   */
  commitConcurrency?: number;
  /** How long to wait for a connection before failing, in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** Where background connection errors are reported. @default a line on stderr */
  log?: (line: string) => void;
  /**
   * Keeps this summarizer's per-trace summaries in the database, computed shortly after
   * ingest (`summarizeTraces` with the same version then reads one row per trace).
   */
  summarizer?: TraceSummarizer;
  /** How long after an append the summaries catch up, in ms. @default 1000 */
  summaryDelayMs?: number;
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

export class PostgresTraceStore implements TraceStore {
  /** The URL with its password hidden. */
  readonly shownUrl: string;
  /** Width of a partition in µs, as the database was created with. */
  readonly partitionUs: number;
  readonly #pool: pg.Pool;
  readonly #writer: PgSpanWriter;
  readonly #reader: PgSpanReader;
  readonly #commits: GroupCommit<PgRowBatch>;
  readonly #writerId: string;
  readonly #log: (line: string) => void;
  #summaries: PgSummaryCache | undefined;
  #summaryDelayMs = 1000;
  #summaryTimer: NodeJS.Timeout | undefined;
  #catchingUp: Promise<void> | undefined;
  #closed = false;

  private constructor(
    pool: pg.Pool,
    shownUrl: string,
    partitionUs: number,
    log: (line: string) => void,
    commitConcurrency: number,
  ) {
    this.#pool = pool;
    this.shownUrl = shownUrl;
    this.partitionUs = partitionUs;
    this.#log = log;
    this.#writerId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#writer = new PgSpanWriter(pool, partitionUs, this.#writerId);
    this.#reader = new PgSpanReader(pool);
    this.#commits = new GroupCommit<PgRowBatch>(
      async (batches) => {
        try {
          await this.#writer.write(batches);
        } catch (error) {
          throw classifyWriteError(error, this.shownUrl);
        }
        this.#scheduleSummaries();
      },
      { concurrency: commitConcurrency },
    );
  }

  #scheduleSummaries(): void {
    if (this.#summaries === undefined || this.#summaryTimer !== undefined || this.#closed) return;
    this.#summaryTimer = setTimeout(() => {
      void this.#catchUp()
        .catch((error: unknown) =>
          this.#log(`trace store: summaries not caught up yet (${(error as Error).message}); retrying`),
        )
        .finally(() => {
          this.#summaryTimer = undefined;
        });
    }, this.#summaryDelayMs);
    this.#summaryTimer.unref();
  }

  /** Summarises every dirty trace, a slice per transaction (one run at a time). */
  #catchUp(): Promise<void> {
    const cache = this.#summaries;
    if (cache === undefined) return Promise.resolve();
    if (this.#catchingUp !== undefined) return this.#catchingUp;
    const run = async (): Promise<void> => {
      while (!this.#closed && (await cache.catchUpSlice()) > 0);
    };
    const running = run().finally(() => {
      if (this.#catchingUp === running) this.#catchingUp = undefined;
    });
    this.#catchingUp = running;
    return running;
  }

  /** Connects, creates or upgrades the schema (or refuses another version), loads caches. */
  static async open(options: PostgresTraceStoreOptions): Promise<PostgresTraceStore> {
    const url = parsePgStoreUrl(options.url);
    const log = options.log ?? defaultLog;
    const pool = new pg.Pool({
      connectionString: url.connectionString,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'hivelab-collector',
    });
    // An idle client whose server went away emits here; without a listener it would crash us.
    pool.on('error', (error) => log(`trace store: PostgreSQL connection lost (${error.message})`));
    // A checked-out client whose connection dies emits 'error' too (its query also fails,
    // which is where the failure is handled): keep that from becoming an uncaught exception.
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      const client = await pool.connect();
      let info;
      try {
        info = await migrate(client, url.partitionUs ?? (options.partitionMs ?? DAY_US / 1000) * 1000);
      } finally {
        client.release();
      }
      const store = new PostgresTraceStore(
        pool,
        url.shown,
        info.partitionUs,
        log,
        Math.min(options.commitConcurrency ?? 2, options.poolSize ?? 4),
      );
      await store.#writer.loadCaches();
      if (options.summarizer !== undefined) {
        store.#summaries = await PgSummaryCache.open(pool, options.summarizer);
        store.#summaryDelayMs = options.summaryDelayMs ?? 1000;
        // Traces left unsummarised (by a previous run, another collector, a new version).
        if (await store.#summaries.dirty()) store.#scheduleSummaries();
      }
      return store;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  append(spans: readonly Span[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the trace store is closed'));
    if (spans.length === 0) return Promise.resolve();
    return this.#commits.add(toPgRowBatch(spans, this.partitionUs));
  }

  getTrace(traceId: string): Promise<Span[]> {
    return this.#read(() => this.#reader.getTrace(traceId));
  }

  getTraces(traceIds: readonly string[]): Promise<Span[][]> {
    return this.#read(() => this.#reader.getTraces(traceIds));
  }

  findTraces(query: TraceQuery): Promise<Span[][]> {
    return this.#read(() => this.#reader.findTraces(query));
  }

  serviceNames(): Promise<string[]> {
    return this.#read(() => this.#reader.serviceNames());
  }

  spanNames(serviceName: string, kind?: Span['kind'] | 'INTERNAL'): Promise<string[]> {
    return this.#read(() => this.#reader.spanNames(serviceName, kind));
  }

  remoteServiceNames(serviceName: string): Promise<string[]> {
    return this.#read(() => this.#reader.remoteServiceNames(serviceName));
  }

  dependencies(endTsMs: number, lookbackMs: number): Promise<DependencyLink[]> {
    return this.#read(() => this.#reader.dependencies(endTsMs, lookbackMs));
  }

  autocompleteKeys(): Promise<string[]> {
    return this.#read(() => this.#reader.autocompleteKeys());
  }

  autocompleteValues(key: string): Promise<string[]> {
    return this.#read(() => this.#reader.autocompleteValues(key));
  }

  /**
   * The kept summaries when `summarizer` is the one the store was opened with (every span
   * this store appended before the call is in them: pending commits and dirty traces are
   * caught up first), else computed from the traces as they are read.
   */
  async *summarizeTraces(query: SummaryQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    if (this.#closed) throw new Error('the trace store is closed');
    const cache = this.#summaries;
    if (cache?.summarizer.version !== summarizer.version) {
      yield* this.#reader.summarizeTraces(query, summarizer);
      return;
    }
    await this.#commits.drain();
    // Until no unlocked mark is left: rows another process is summarising right now (or an
    // append is still writing) are skipped, not waited for, so a busy shared database
    // cannot hold a query up; their summaries land within a slice.
    await this.#catchUp();
    for await (const page of cache.pages(query)) {
      yield page;
      if (this.#closed) return;
    }
  }

  /**
   * Which trace-timestamp ranges of the kept summaries changed since `since` (a token of an
   * earlier answer), any collector's changes included; undefined when `summarizer` is not
   * the one whose summaries this store keeps. Catches up first, as `summarizeTraces` does.
   */
  async summaryChanges(summarizer: TraceSummarizer, since?: number): Promise<SummaryChanges | undefined> {
    if (this.#closed) throw new Error('the trace store is closed');
    const cache = this.#summaries;
    if (cache?.summarizer.version !== summarizer.version) return undefined;
    await this.#commits.drain();
    await this.#catchUp();
    return cache.changesSince(since);
  }

  /** Two catalog-sized queries: the sum of the span counters and the tables' sizes. */
  stats(): Promise<StoreStats> {
    return this.#read(async () => {
      const result = await this.#pool.query<{ spans: string; bytes: string }>(
        `SELECT (SELECT coalesce(sum(n), 0) FROM ${PG_SCHEMA}.span_counts) AS spans, (${SIZE_SQL}) AS bytes`,
      );
      const row = result.rows[0];
      return { spanCount: Number(row?.spans ?? 0), sizeBytes: Number(row?.bytes ?? 0) };
    });
  }

  async applyRetention(policy: RetentionPolicy, nowMs: number): Promise<number> {
    // Pending appends first, so retention sees (and counts) every acknowledged span.
    await this.#commits.drain();
    return this.#read(() =>
      applyPgRetention(
        {
          pool: this.#pool,
          partitionUs: this.partitionUs,
          writerId: this.#writerId,
          sizeBytes: async () => (await this.stats()).sizeBytes,
          onDropped: () => this.#writer.forgetPartitions(),
        },
        policy,
        nowMs,
        this.#log,
      ),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#summaryTimer);
    await this.#commits.drain();
    await this.#catchingUp?.catch(() => undefined);
    await this.#pool.end();
  }

  #read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the trace store is closed'));
    return fn();
  }
}

/** Bytes of every table (with its indexes and TOAST) in hivelab's schema. */
const SIZE_SQL = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${PG_SCHEMA}' AND c.relkind = 'r'`;
