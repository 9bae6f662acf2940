/**
 * Retention for the SQLite store: deletes whole traces, oldest first, then gives the freed
 * pages back to the file system (incremental vacuum, then a truncating WAL checkpoint), so
 * the files shrink instead of only stopping to grow.
 */
import type Database from 'better-sqlite3';
import type { RetentionPolicy } from '../../trace-store.js';
import { MAX_BUCKET } from './sqlite-schema.js';
import type { SqliteSummaryCache } from './sqlite-summary-cache.js';

/** Traces deleted per transaction, so a large purge does not hold the write lock for long. */
const TRACES_PER_CHUNK = 2000;
/** Rounds of "delete, vacuum, measure" for a size limit before giving up. */
const MAX_SIZE_ROUNDS = 20;

export interface RetentionDeps {
  db: Database.Database;
  /** The kept summaries, which lose the rows of deleted traces. */
  summaries: SqliteSummaryCache | undefined;
  /** Current size of the database and its WAL, in bytes. */
  sizeBytes(): number;
  /** Spans currently stored. */
  spanCount(): number;
  /** Called after each committed deletion with the number of spans deleted. */
  onDeleted(spans: number): void;
}

/**
 * Deletes every chunk of the given trace keys. Their `service_spans` entries stay until
 * `pruneServiceEntries` drops them: a search that meets one finds no chunk and skips it.
 */
function deleteTraces(deps: RetentionDeps, tkeys: readonly number[]): number {
  const delChunks = deps.db.prepare('DELETE FROM chunks WHERE tkey = ? RETURNING span_count').pluck();
  const addCount = deps.db.prepare("UPDATE meta SET value = value - ? WHERE key = 'span_count'");
  const run = deps.db.transaction(() => {
    deps.summaries?.forget(tkeys);
    let spans = 0;
    for (const tkey of tkeys) {
      for (const count of delChunks.all(tkey) as number[]) spans += count;
    }
    addCount.run(spans);
    deps.summaries?.afterDelete();
    return spans;
  });
  const deleted = run();
  deps.onDeleted(deleted);
  return deleted;
}

/**
 * Drops service entries older than the oldest chunk left: an entry's start is never before
 * its chunk's first start, so such entries belong to deleted chunks only.
 */
function pruneServiceEntries(db: Database.Database): void {
  const oldest = db.prepare('SELECT min(ts_min) FROM chunks').pluck().get() as number | null;
  const services = db.prepare('SELECT id FROM services').pluck().all() as number[];
  const prune = db.prepare('DELETE FROM service_spans WHERE svc = ? AND bucket = ? AND ts < ?');
  db.transaction(() => {
    for (const svc of services) {
      for (let bucket = 0; bucket <= MAX_BUCKET; bucket++) {
        prune.run(svc, bucket, oldest ?? Number.MAX_SAFE_INTEGER);
      }
    }
  })();
}

function reclaim(db: Database.Database): void {
  pruneServiceEntries(db);
  db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function usedBytes(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}

/** Deletes traces whose newest span started before `cutoffUs`, oldest first. */
function deleteOlderThan(deps: RetentionDeps, cutoffUs: number): number {
  // A trace's chunks all start at or after its first chunk: walk chunks by start and keep
  // the traces whose newest span (over all their chunks) is before the cutoff.
  const select = deps.db.prepare(
    `SELECT DISTINCT tkey FROM chunks WHERE ts_min < ? ORDER BY ts_min LIMIT ${TRACES_PER_CHUNK} OFFSET ?`,
  );
  const newest = deps.db.prepare('SELECT max(ts_max) FROM chunks WHERE tkey = ?').pluck();
  let deleted = 0;
  let kept = 0;
  for (;;) {
    const tkeys = select.pluck().all(cutoffUs, kept) as number[];
    if (tkeys.length === 0) return deleted;
    const expired = tkeys.filter((tkey) => (newest.get(tkey) as number) < cutoffUs);
    kept += tkeys.length - expired.length;
    if (expired.length > 0) deleted += deleteTraces(deps, expired);
  }
}

/** Deletes the oldest traces (by first start) holding at least `spans` spans. */
function deleteOldestSpans(deps: RetentionDeps, spans: number): number {
  const select = deps.db.prepare(
    `SELECT tkey, span_count FROM chunks ORDER BY ts_min LIMIT ${TRACES_PER_CHUNK}`,
  );
  let deleted = 0;
  while (deleted < spans) {
    const rows = select.raw().all() as [number, number][];
    if (rows.length === 0) break;
    const tkeys = new Set<number>();
    let estimate = 0;
    for (const [tkey, count] of rows) {
      if (deleted + estimate >= spans) break;
      if (!tkeys.has(tkey)) tkeys.add(tkey);
      estimate += count;
    }
    deleted += deleteTraces(deps, [...tkeys]);
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
