/**
 * The SQLite schema of the trace store, shaped by one fact: in a B-tree keyed by random
 * trace ids every insert dirties its own page, and each dirty page costs a 4 KiB WAL write
 * at commit. So the store writes one row per trace per append, not per span:
 *
 * - `chunks`: the spans of one trace from one append, as a compact JSON array (the trace id
 *   kept once in its own column). Indexed by trace key (trace by id: one random entry per
 *   chunk) and by first start (searches without a service, retention; time-ordered, cheap).
 * - `service_spans`: one entry per (chunk, local service) with the service's first start and
 *   its shortest and longest span, filed under a duration bucket (log2 of the longest µs).
 *   Clustered by (service, bucket, start): appends touch only the newest page of each
 *   (service, bucket), and a search with minDuration skips the buckets below it, so a rare
 *   slow span is found without walking every entry of the service.
 * - `services`: the dictionary that turns service names into small integers.
 * - `span_names`, `remote_services`, `tag_values`: what autocompletion lists.
 * - `meta`: counters kept in the same transactions as the rows they count.
 *
 * A trace key is the low 52 bits of the trace id (a JS-safe integer); reads compare the
 * full id, so keys shared by two traces only cost an extra row read.
 */
import type Database from 'better-sqlite3';

/** Bumped when the layout changes; a store with another version is refused. */
export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS services (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS chunks (
  tkey INTEGER NOT NULL, trace_id TEXT NOT NULL, ts_min INTEGER NOT NULL,
  ts_max INTEGER NOT NULL, span_count INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_trace ON chunks (tkey);
CREATE INDEX IF NOT EXISTS chunks_by_start ON chunks (ts_min);
CREATE TABLE IF NOT EXISTS service_spans (
  svc INTEGER NOT NULL, bucket INTEGER NOT NULL, ts INTEGER NOT NULL, tkey INTEGER NOT NULL,
  dur_min INTEGER NOT NULL, dur_max INTEGER NOT NULL,
  PRIMARY KEY (svc, bucket, ts, tkey)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS span_names (
  svc INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (svc, kind, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS remote_services (
  svc INTEGER NOT NULL, remote TEXT NOT NULL, PRIMARY KEY (svc, remote)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tag_values (
  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, value)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('span_count', 0), ('schema_version', ${SCHEMA_VERSION});
`;

/** Duration buckets are 0..MAX_BUCKET: floor(log2(µs)), so 2^40 µs (12 days) and up share the last. */
export const MAX_BUCKET = 40;

/** The bucket of a duration in µs. */
export function durationBucket(durationUs: number): number {
  return durationUs < 1 ? 0 : Math.min(MAX_BUCKET, Math.floor(Math.log2(durationUs)));
}

/** The low 52 bits of a (lower-case hex) trace id, as stored in `tkey`. */
export function traceKey(traceId: string): number {
  return parseInt(traceId.slice(-13), 16);
}

/**
 * Sets the connection up and creates the tables. WAL with `synchronous=NORMAL`: a commit
 * is in the WAL file when it returns, so it survives a kill -9 of the process (only an OS
 * crash or power loss can lose the last commits). `auto_vacuum=INCREMENTAL` lets retention
 * give freed pages back to the file system; it only takes effect on a new database.
 */
export function prepareDatabase(db: Database.Database, options: { cacheMb?: number } = {}): void {
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${(options.cacheMb ?? 64) * 1024}`);
  // The WAL is truncated back to this after checkpoints, so it cannot keep a peak size.
  db.pragma('journal_size_limit = 67108864');
  db.pragma('busy_timeout = 5000');
  // Checkpoint every ~32 MiB of WAL instead of 4 MiB: hot pages (the newest pages of each
  // index) are then copied into the database once per checkpoint, not once per 4 MiB.
  db.pragma('wal_autocheckpoint = 8192');
  db.exec(DDL);
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
  if (version !== SCHEMA_VERSION) {
    throw new Error(
      `trace store schema version ${String(version)} is not ${SCHEMA_VERSION}; move the data directory away`,
    );
  }
}
