/**
 * Retention for the SQLite store: deletes whole traces, oldest first, then gives the freed
 * pages back to the file system (incremental vacuum, then a truncating WAL checkpoint), so
 * the files shrink instead of only stopping to grow.
 */
import type Database from 'better-sqlite3';
import type { RetentionPolicy } from '../../trace-store.js';

/** Traces deleted per transaction, so a large purge does not hold the write lock for long. */
const TRACES_PER_CHUNK = 2000;
/** Rounds of "delete, vacuum, measure" for a size limit before giving up. */
const MAX_SIZE_ROUNDS = 20;

export interface RetentionDeps {
  db: Database.Database;
  /** Current size of the database and its WAL, in bytes. */
  sizeBytes(): number;
  /** Spans currently stored. */
  spanCount(): number;
  /** Called after each committed deletion with the number of spans deleted. */
  onDeleted(spans: number): void;
}

function deleteTraces(deps: RetentionDeps, rows: readonly [number, number][]): number {
  const delSpans = deps.db.prepare('DELETE FROM spans WHERE tkey = ?');
  const delTrace = deps.db.prepare('DELETE FROM traces WHERE tkey = ?');
  const addCount = deps.db.prepare("UPDATE meta SET value = value - ? WHERE key = 'span_count'");
  const run = deps.db.transaction(() => {
    let spans = 0;
    for (const [tkey] of rows) {
      spans += delSpans.run(tkey).changes;
      delTrace.run(tkey);
    }
    addCount.run(spans);
    return spans;
  });
  const deleted = run();
  deps.onDeleted(deleted);
  return deleted;
}

function reclaim(db: Database.Database): void {
  db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function usedBytes(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}

/** Deletes traces whose newest span started before `cutoffUs`. */
function deleteOlderThan(deps: RetentionDeps, cutoffUs: number): number {
  // ts_min <= ts_max, so every trace with ts_max < cutoff also has ts_min < cutoff.
  const select = deps.db.prepare(
    `SELECT tkey, span_count FROM traces WHERE ts_min < ? AND ts_max < ? ORDER BY ts_min LIMIT ${TRACES_PER_CHUNK}`,
  );
  let deleted = 0;
  for (;;) {
    const rows = select.raw().all(cutoffUs, cutoffUs) as [number, number][];
    if (rows.length === 0) return deleted;
    deleted += deleteTraces(deps, rows);
  }
}

/** Deletes the oldest traces holding about `spans` spans. */
function deleteOldestSpans(deps: RetentionDeps, spans: number): number {
  const select = deps.db.prepare(
    `SELECT tkey, span_count FROM traces ORDER BY ts_min LIMIT ${TRACES_PER_CHUNK}`,
  );
  let deleted = 0;
  while (deleted < spans) {
    const rows = select.raw().all() as [number, number][];
    if (rows.length === 0) break;
    const chunk: [number, number][] = [];
    let chunkSpans = 0;
    for (const row of rows) {
      if (deleted + chunkSpans >= spans) break;
      chunk.push(row);
      chunkSpans += row[1];
    }
    deleted += deleteTraces(deps, chunk);
  }
  return deleted;
}

/** Applies the policy; returns the number of spans deleted. */
export function applySqliteRetention(deps: RetentionDeps, policy: RetentionPolicy, nowMs: number): number {
  let deleted = 0;
  if (policy.maxAgeMs !== undefined) deleted += deleteOlderThan(deps, (nowMs - policy.maxAgeMs) * 1000);
  if (deleted > 0) reclaim(deps.db);
  if (policy.maxBytes === undefined) return deleted;
  if (deps.sizeBytes() > policy.maxBytes) reclaim(deps.db);
  for (let round = 0; round < MAX_SIZE_ROUNDS && deps.sizeBytes() > policy.maxBytes; round++) {
    const count = deps.spanCount();
    if (count === 0) break;
    const used = usedBytes(deps.db);
    const perSpan = Math.max(1, used / count);
    // Deleting rows leaves half-empty pages behind, so aim a little past the target.
    const excess = Math.max(used - policy.maxBytes, deps.sizeBytes() - policy.maxBytes);
    const target = Math.max(1, Math.ceil((excess / perSpan) * 1.1));
    const removed = deleteOldestSpans(deps, target);
    deleted += removed;
    reclaim(deps.db);
    if (removed === 0) break;
  }
  return deleted;
}
