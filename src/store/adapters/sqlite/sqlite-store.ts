/**
 * The SQLite `TraceStore` (the embedded default): one file `<dataDir>/traces.sqlite` in WAL
 * mode. Appends are converted to rows at once and group-committed: all appends that arrive
 * while a commit is being prepared share one transaction, and each resolves after it.
 */
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DependencyLink, Span } from '../../../spans/index.js';
import type { RetentionPolicy, StoreStats, TraceQuery, TraceStore } from '../../trace-store.js';
import { distPath } from '../../../package-root.js';
import { GroupCommit } from '../../group-commit.js';
import { applySqliteRetention } from './sqlite-retention.js';
import { prepareDatabase } from './sqlite-schema.js';
import { SqliteSpanReader } from './sqlite-span-reader.js';
import { SqliteSpanWriter } from './sqlite-span-writer.js';
import { toRowBatch, type RowBatch } from './span-rows.js';
import { ThreadCheckpointer } from './thread-checkpointer.js';
import { ThreadSpanWriter } from './thread-span-writer.js';
import type { SummaryChanges, SummaryQuery, TraceSummarizer, TraceSummary } from '../../trace-summary.js';
import { SqliteSummaryCache } from './sqlite-summary-cache.js';
import { keptSummaryPages, liveSummaryPages } from './sqlite-summary-scan.js';

/** The database file name inside the data directory. */
export const SQLITE_FILE_NAME = 'traces.sqlite';

/**
 * How often the checkpoint thread checkpoints the WAL: ~10 MiB of WAL at 100 000 spans/s,
 * so each checkpoint is short and often catches up with the writer (which lets the writer
 * restart the WAL from its beginning).
 */
const CHECKPOINT_INTERVAL_MS = 250;
/**
 * With the checkpoint thread, the writer's own automatic checkpoint is a backstop for when
 * that thread does not catch up: 16384 pages (64 MiB at SQLite's default 4 KiB page, the
 * `journal_size_limit`). It then copies only the frames the thread has not, so it is short.
 */
const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_384;

export interface SqliteTraceStoreOptions {
  /** Directory of the database file; created when missing. */
  dataDir: string;
  /** Page cache per connection, in MiB. @default 64 */
  cacheMb?: number;
  /**
   * Where SQLite writes run: `'inline'` on the calling thread, or `'thread'` in a worker
   * thread (its own core, leaving the main thread to the collector's parsing; needs the
   * build under dist/). On the busy 2-core bench machine the thread did not win (hand-off
   * latency ate the parallelism), so it is opt-in; `bench/store.ts` measures both.
   * @default 'inline'
   */
  writer?: 'thread' | 'inline';
  /** The built worker script; only needed when the package is bundled. */
  workerFile?: string;
  /**
   * Where WAL checkpoints run: `'thread'` on a connection in a worker thread (needs the build
   * under dist/; falls back to inline without it), or `'inline'` in the writer's commits,
   * where each 32 MiB checkpoint stalls the event loop (up to ~100 ms).
   * @default 'thread'
   */
  checkpoint?: 'thread' | 'inline';
  /** The built checkpoint worker script; only needed when the package is bundled. */
  checkpointWorkerFile?: string;
  /**
   * Keeps this summarizer's per-trace summaries in the file, computed shortly after ingest
   * (see `sqlite-summary-cache.ts`), so `summarizeTraces` with it reads one small row per
   * trace instead of every span.
   */
  summarizer?: TraceSummarizer;
  /**
   * How long after a commit the summaries catch up (spans of one trace often come in a
   * few reports within this time, and are then summarised once). @default 1000
   */
  summaryDelayMs?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export class SqliteTraceStore implements TraceStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #threadWriter: ThreadSpanWriter | undefined;
  readonly #checkpointer: ThreadCheckpointer | undefined;
  readonly #reader: SqliteSpanReader;
  readonly #commits: GroupCommit<RowBatch>;
  readonly #summaries: SqliteSummaryCache | undefined;
  readonly #summaryDelayMs: number;
  #summaryTimer: NodeJS.Timeout | undefined;
  #catchingUp: Promise<void> | undefined;
  #spanCount: number;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(
    file: string,
    db: Database.Database,
    threadWriter: ThreadSpanWriter | undefined,
    checkpointer: ThreadCheckpointer | undefined,
    options: SqliteTraceStoreOptions,
  ) {
    this.file = file;
    this.#db = db;
    this.#threadWriter = threadWriter;
    this.#checkpointer = checkpointer;
    this.#summaries = options.summarizer && new SqliteSummaryCache(db, options.summarizer);
    this.#summaryDelayMs = options.summaryDelayMs ?? 1000;
    this.#reader = new SqliteSpanReader(db);
    this.#spanCount = db.prepare("SELECT value FROM meta WHERE key = 'span_count'").pluck().get() as number;
    const inline = threadWriter === undefined ? new SqliteSpanWriter(db) : undefined;
    this.#commits = new GroupCommit<RowBatch>(async (batches) => {
      this.#spanCount +=
        inline !== undefined
          ? inline.write(batches)
          : await (threadWriter as ThreadSpanWriter).write(batches);
      this.#scheduleSummaries();
    });
    // Chunks left unsummarised by a previous run (or another process) are caught up soon.
    if (this.#summaries !== undefined && !this.#summaries.upToDate()) this.#scheduleSummaries();
  }

  #scheduleSummaries(): void {
    if (this.#summaries === undefined || this.#summaryTimer !== undefined || this.#closed) return;
    this.#summaryTimer = setTimeout(() => {
      void this.#catchUp().finally(() => {
        this.#summaryTimer = undefined;
      });
    }, this.#summaryDelayMs);
    this.#summaryTimer.unref();
  }

  /** Folds every new chunk into the kept summaries, a slice per turn of the event loop. */
  #catchUp(): Promise<void> {
    const cache = this.#summaries;
    if (cache === undefined) return Promise.resolve();
    if (this.#catchingUp !== undefined) return this.#catchingUp;
    const run = async (): Promise<void> => {
      while (this.#db.open && cache.catchUpSlice() > 0) await yieldToEventLoop();
    };
    const running = run().finally(() => {
      if (this.#catchingUp === running) this.#catchingUp = undefined;
    });
    this.#catchingUp = running;
    return this.#catchingUp;
  }

  /** Opens (creating when needed) the store in `options.dataDir`. */
  static async open(options: SqliteTraceStoreOptions): Promise<SqliteTraceStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, SQLITE_FILE_NAME);
    const cacheMb = options.cacheMb ?? 64;
    const db = new Database(file);
    let threadWriter: ThreadSpanWriter | undefined;
    let checkpointer: ThreadCheckpointer | undefined;
    try {
      // The schema is created here, before the writer thread opens its own connection.
      prepareDatabase(db, { cacheMb });
      if (options.writer === 'thread') {
        const workerFile =
          options.workerFile ?? distPath('store', 'adapters', 'sqlite', 'sqlite-write.worker.js');
        threadWriter = await ThreadSpanWriter.start(workerFile, { file, cacheMb });
      }
      if ((options.checkpoint ?? 'thread') === 'thread') {
        const workerFile =
          options.checkpointWorkerFile ??
          distPath('store', 'adapters', 'sqlite', 'sqlite-checkpoint.worker.js');
        checkpointer = await ThreadCheckpointer.start(workerFile, {
          file,
          intervalMs: CHECKPOINT_INTERVAL_MS,
        });
        // The inline writer's connection is `db`; the writer thread keeps its own setting.
        if (checkpointer !== undefined) db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
      }
    } catch (error) {
      await checkpointer?.close();
      await threadWriter?.close();
      db.close();
      throw error;
    }
    return new SqliteTraceStore(file, db, threadWriter, checkpointer, options);
  }

  append(spans: readonly Span[]): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the trace store is closed'));
    if (spans.length === 0) return Promise.resolve();
    return this.#commits.add(toRowBatch(spans));
  }

  getTrace(traceId: string): Promise<Span[]> {
    return this.#read(() => this.#reader.getTrace(traceId));
  }

  getTraces(traceIds: readonly string[]): Promise<Span[][]> {
    return this.#read(() => {
      const unique = new Set(traceIds.map((id) => id.toLowerCase()));
      return [...unique].map((id) => this.#reader.getTrace(id)).filter((t) => t.length > 0);
    });
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

  async *summarizeTraces(query: SummaryQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    if (this.#closed) throw new Error('the trace store is closed');
    const kept = this.#summaries?.summarizer.version === summarizer.version;
    if (kept) {
      // Every span appended before this call is in a summary before the scan starts.
      await this.#commits.drain();
      await this.#catchUp();
    }
    const pages = kept ? keptSummaryPages(this.#db, query) : liveSummaryPages(this.#db, query, summarizer);
    for (const page of pages) {
      yield page;
      if (this.#closed) return;
    }
  }

  async summaryChanges(summarizer: TraceSummarizer, since?: number): Promise<SummaryChanges | undefined> {
    if (this.#closed) throw new Error('the trace store is closed');
    const cache = this.#summaries;
    if (cache?.summarizer.version !== summarizer.version) return undefined;
    await this.#commits.drain();
    await this.#catchUp();
    return cache.changesSince(since);
  }

  /** Cheap: a counter kept with the rows, and the sizes of the database and WAL files. */
  stats(): Promise<StoreStats> {
    return this.#read(() => ({
      spanCount: this.#spanCount,
      sizeBytes: fileSize(this.file) + fileSize(`${this.file}-wal`),
    }));
  }

  async applyRetention(policy: RetentionPolicy, nowMs: number): Promise<number> {
    // Pending appends first, so retention sees (and counts) every acknowledged span.
    await this.#commits.drain();
    return this.#read(() =>
      applySqliteRetention(
        {
          db: this.#db,
          summaries: this.#summaries,
          sizeBytes: () => fileSize(this.file) + fileSize(`${this.file}-wal`),
          spanCount: () => this.#spanCount,
          onDeleted: (spans) => {
            this.#spanCount -= spans;
          },
        },
        policy,
        nowMs,
      ),
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    await this.#commits.drain();
    clearTimeout(this.#summaryTimer);
    // What was ingested is summarised before the file is closed, so a reader finds it ready.
    await this.#catchUp();
    await this.#threadWriter?.close();
    // Before ours: the last connection to close checkpoints what is left and removes the WAL.
    await this.#checkpointer?.close();
    this.#db.close();
  }

  #read<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the trace store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
