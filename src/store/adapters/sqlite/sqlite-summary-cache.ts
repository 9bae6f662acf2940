/**
 * The per-trace summaries the SQLite store keeps for the summarizer it was opened with.
 *
 * Tables (created on open, next to the span tables):
 * - `summaries`: one row per trace, clustered by (trace timestamp, trace key, trace id),
 *   so a window is one range scan and appends touch the newest pages only.
 * - `summary_groups`: the dictionary of `group` texts (a request type is shared by many
 *   traces and stored once).
 * - `summary_state`: the summarizer version and the watermark.
 * - `summary_changes`: which trace-timestamp ranges each catch-up or deletion rewrote, for
 *   caches over the summaries (`TraceStore.summaryChanges`); written in the same
 *   transaction as the rows, so every process that changes the file records its changes.
 *
 * Invariant: every chunk whose rowid is at most the watermark is reflected in its trace's
 * summary row, and that row was computed from exactly the trace's chunks at or below the
 * watermark. Catching up reads the chunks above the watermark (in rowid order: insertion
 * order), recomputes each of their traces from all its chunks up to the slice's last rowid,
 * replaces the trace's previous row (whose timestamp is recomputed from the chunks at or
 * below the old watermark), and moves the watermark, in one transaction per slice. So a
 * span arriving late only makes its trace be summarised again, and two processes catching
 * up on the same file serialise on the write lock without double counting.
 */
import type Database from 'better-sqlite3';
import type { Span } from '../../../spans/index.js';
import { mergeSpans } from '../../merge-spans.js';
import { sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';
import {
  ALL_TIMESTAMPS,
  CHANGE_GAP_US,
  coalesceTimestamps,
  KEPT_CHANGES,
} from '../../summary-change-ranges.js';
import type { SummaryChanges, TraceSummarizer } from '../../trace-summary.js';

const DDL = `
CREATE TABLE IF NOT EXISTS summary_groups (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS summaries (
  ts INTEGER NOT NULL, tkey INTEGER NOT NULL, trace_id TEXT NOT NULL, grp INTEGER NOT NULL,
  data TEXT NOT NULL, PRIMARY KEY (ts, tkey, trace_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS summary_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS summary_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL);
`;

/** Chunks read per catch-up transaction: short enough not to stall ingest for long. */
export const CATCH_UP_SLICE_CHUNKS = 2000;

/** Creates the summary tables (idempotent). */
export function prepareSummaryTables(db: Database.Database): void {
  db.exec(DDL);
}

interface ChunkRow {
  rowid: number;
  traceId: string;
  json: string;
}

function spansOf(rows: readonly ChunkRow[]): Span[] {
  const spans: Span[] = [];
  for (const row of rows) {
    for (const span of JSON.parse(row.json) as Span[]) {
      span.traceId = row.traceId;
      spans.push(span);
    }
  }
  return sortByTimestamp(mergeSpans(spans));
}

export class SqliteSummaryCache {
  readonly summarizer: TraceSummarizer;
  readonly #db: Database.Database;
  readonly #state: Database.Statement;
  readonly #setState: Database.Statement;
  readonly #maxRowid: Database.Statement;
  readonly #newChunks: Database.Statement;
  readonly #chunksOfKey: Database.Statement;
  readonly #groupId: Database.Statement;
  readonly #insertGroup: Database.Statement;
  readonly #deleteSummary: Database.Statement;
  readonly #putSummary: Database.Statement;
  readonly #groupIds = new Map<string, number>();
  readonly #logChange: Database.Statement;
  readonly #changesAfter: Database.Statement;
  readonly #lastChange: Database.Statement;
  readonly #pruneChanges: Database.Statement;
  /** Trace timestamps whose rows the current transaction deleted or wrote. */
  #touched: number[] = [];
  readonly #slice: Database.Transaction<(limit: number) => number>;

  constructor(db: Database.Database, summarizer: TraceSummarizer) {
    this.#db = db;
    this.summarizer = summarizer;
    prepareSummaryTables(db);
    this.#state = db.prepare('SELECT value FROM summary_state WHERE key = ?').pluck();
    this.#setState = db.prepare('INSERT OR REPLACE INTO summary_state (key, value) VALUES (?, ?)');
    this.#maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM chunks').pluck();
    this.#newChunks = db.prepare(
      'SELECT rowid, tkey, trace_id FROM chunks WHERE rowid > ? ORDER BY rowid LIMIT ?',
    );
    this.#chunksOfKey = db.prepare('SELECT rowid, trace_id, data FROM chunks WHERE tkey = ? AND rowid <= ?');
    this.#groupId = db.prepare('SELECT id FROM summary_groups WHERE text = ?').pluck();
    this.#insertGroup = db.prepare('INSERT INTO summary_groups (text) VALUES (?)');
    this.#deleteSummary = db.prepare('DELETE FROM summaries WHERE ts = ? AND tkey = ? AND trace_id = ?');
    this.#putSummary = db.prepare(
      'INSERT OR REPLACE INTO summaries (ts, tkey, trace_id, grp, data) VALUES (?,?,?,?,?)',
    );
    this.#logChange = db.prepare('INSERT INTO summary_changes (from_ts, to_ts) VALUES (?, ?)');
    this.#changesAfter = db.prepare('SELECT from_ts, to_ts FROM summary_changes WHERE seq > ? ORDER BY seq');
    this.#lastChange = db.prepare('SELECT coalesce(max(seq), 0) FROM summary_changes').pluck();
    this.#pruneChanges = db.prepare('DELETE FROM summary_changes WHERE seq <= ?');
    this.#slice = db.transaction((limit: number) => {
      const read = this.#catchUpSlice(limit);
      this.#logTouched();
      return read;
    });
    db.transaction(() => {
      if (this.#state.get('version') === summarizer.version) return;
      // Summaries of another computation are worthless: start over from the first chunk.
      db.exec('DELETE FROM summaries; DELETE FROM summary_groups;');
      this.#setState.run('version', summarizer.version);
      this.#setState.run('watermark', '0');
      this.#logChange.run(ALL_TIMESTAMPS.fromUs, ALL_TIMESTAMPS.toUs);
    }).immediate();
  }

  #watermark(): number {
    return Number(this.#state.get('watermark') ?? 0);
  }

  /** True when no chunk is above the watermark (cheap: two index look-ups). */
  upToDate(): boolean {
    return (this.#maxRowid.get() as number) <= this.#watermark();
  }

  /**
   * Folds up to `limit` new chunks into summaries in one (immediate) transaction; returns
   * how many chunks it read (0: up to date).
   */
  catchUpSlice(limit = CATCH_UP_SLICE_CHUNKS): number {
    return this.#slice.immediate(limit);
  }

  #catchUpSlice(limit: number): number {
    let watermark = this.#watermark();
    const maxRowid = this.#maxRowid.get() as number;
    if (maxRowid < watermark) {
      // Rowids were handed out again after deletions this cache did not see: start over.
      this.#db.exec('DELETE FROM summaries;');
      this.#logChange.run(ALL_TIMESTAMPS.fromUs, ALL_TIMESTAMPS.toUs);
      watermark = 0;
    }
    const rows = this.#newChunks.all(watermark, limit) as { rowid: number; tkey: number; trace_id: string }[];
    const last = rows[rows.length - 1];
    if (last === undefined) return 0;
    const traces = new Map<string, number>();
    for (const row of rows) traces.set(row.trace_id, row.tkey);
    for (const [traceId, tkey] of traces) this.#resummarise(traceId, tkey, watermark, last.rowid);
    this.#setState.run('watermark', String(last.rowid));
    return rows.length;
  }

  #chunks(traceId: string, tkey: number, upTo: number): ChunkRow[] {
    const rows = this.#chunksOfKey.all(tkey, upTo) as { rowid: number; trace_id: string; data: string }[];
    return rows
      .filter((r) => r.trace_id === traceId)
      .map((r) => ({ rowid: r.rowid, traceId: r.trace_id, json: r.data }));
  }

  #resummarise(traceId: string, tkey: number, oldWatermark: number, upTo: number): void {
    const chunks = this.#chunks(traceId, tkey, upTo);
    const old = chunks.filter((c) => c.rowid <= oldWatermark);
    if (old.length > 0) this.#deleteTouched(traceTimestampUs(spansOf(old)), tkey, traceId);
    const spans = spansOf(chunks);
    const parts = this.summarizer.summarize(spans);
    const ts = traceTimestampUs(spans);
    this.#putSummary.run(ts, tkey, traceId, this.#group(parts.group), parts.data);
    this.#touched.push(ts);
  }

  #deleteTouched(ts: number, tkey: number, traceId: string): void {
    this.#deleteSummary.run(ts, tkey, traceId);
    this.#touched.push(ts);
  }

  /** Records the ranges the transaction touched (inside it), and prunes the log now and then. */
  #logTouched(): void {
    if (this.#touched.length === 0) return;
    for (const range of coalesceTimestamps(this.#touched, CHANGE_GAP_US)) {
      this.#logChange.run(range.fromUs, range.toUs);
    }
    this.#touched = [];
    const last = this.#lastChange.get() as number;
    if (last - Number(this.#state.get('changes_floor') ?? 0) > 2 * KEPT_CHANGES) {
      const floor = last - KEPT_CHANGES;
      this.#pruneChanges.run(floor);
      this.#setState.run('changes_floor', String(floor));
    }
  }

  /**
   * The ranges of trace timestamps whose summaries changed after `since` (a token of an
   * earlier answer); `'all'` on the first call or when the log no longer reaches back.
   */
  changesSince(since: number | undefined): SummaryChanges {
    const token = this.#lastChange.get() as number;
    const floor = Number(this.#state.get('changes_floor') ?? 0);
    if (since === undefined || since < floor || since > token) return { token, changed: 'all' };
    const rows = this.#changesAfter.raw().all(since) as [number, number][];
    return { token, changed: rows.map(([fromUs, toUs]) => ({ fromUs, toUs })) };
  }

  #group(text: string): number {
    let id = this.#groupIds.get(text);
    if (id === undefined) {
      id =
        (this.#groupId.get(text) as number | undefined) ??
        Number(this.#insertGroup.run(text).lastInsertRowid);
      this.#groupIds.set(text, id);
    }
    return id;
  }

  /**
   * Drops the summaries of traces about to be deleted (call inside the deleting
   * transaction, before the chunks go).
   */
  forget(tkeys: readonly number[]): void {
    const watermark = this.#watermark();
    for (const tkey of tkeys) {
      const rows = this.#chunksOfKey.all(tkey, watermark) as { rowid: number; trace_id: string }[];
      for (const traceId of new Set(rows.map((r) => r.trace_id))) {
        const old = this.#chunks(traceId, tkey, watermark);
        if (old.length > 0) this.#deleteTouched(traceTimestampUs(spansOf(old)), tkey, traceId);
      }
    }
    this.#logTouched();
  }

  /** After deletions: keeps the watermark at or below the highest rowid left. */
  afterDelete(): void {
    const maxRowid = this.#maxRowid.get() as number;
    if (maxRowid < this.#watermark()) this.#setState.run('watermark', String(maxRowid));
  }
}
