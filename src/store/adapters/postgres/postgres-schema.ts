/**
 * The PostgreSQL schema of the trace store, in the `hivelab` schema of the database.
 *
 * - `spans`: one row per span group, the spans of one trace and one local service that came
 *   in one append (since version 5; a row written before holds one span). Range-partitioned
 *   by the group's earliest start (`ts`, epoch µs), one partition per `partition_us` (a day by
 *   default), created on demand. Retention drops whole partitions; nothing is vacuumed away
 *   row by row in the normal case. The spans are kept as JSON text (`doc`: an array of spans,
 *   or one span in a row from before version 5, without their trace id), `duration` is the
 *   group's longest, `ts_max` its latest start (retention keeps a trace by its newest span;
 *   null before version 5), `span_count` how many it holds; the columns beside the doc are what
 *   queries filter on. A group rather than a span per row: an instrumented service reports a
 *   trace's spans together (its server span and the client spans under it), so a row stands
 *   for a few spans, and a commit inserts and indexes that many times fewer rows (ingest is
 *   mostly index insertion). Indexes (declared on the parent, so every partition has them):
 *   - `(trace_id)`: trace by id, `traceMany`, and fetching candidate traces of a search;
 *   - `(service, ts)`: Zipkin/Jaeger searches by service, newest first, and the analyzer's
 *     per-service scans;
 *   - `(ts)`: searches without a service and the dependency graph's time window.
 *   - `spans_slow (service, ts) WHERE duration >= SLOW_SPAN_US` (version 3): searches by
 *     service for slow spans; rare matches are found without reading the others.
 *   All carry the duration and the trace id (INCLUDE): a search reads candidates with an
 *   index-only scan, checking a minimum duration without visiting the table. (Without them the
 *   planner walks the `ts` index and filters by service: the service index's first column
 *   has no correlation with the table's order, so its heap visits look random to it.)
 * - `services`, `span_names`, `remote_services`, `tag_values`: what the name and
 *   autocompletion APIs list, kept as small dictionaries (`INSERT … ON CONFLICT DO NOTHING`,
 *   so several collectors may add the same fact at once).
 * - `span_counts`: spans per (partition, writer). Each store instance adds to its own rows,
 *   so collectors sharing the database never wait on each other's counter row; `stats()`
 *   sums them; dropping a partition drops its rows.
 * - `meta`: the partition width, fixed when the database is created, and the version of the
 *   summarizer whose summaries are kept.
 * - `summary_dirty`, `summaries`, `summary_groups` (version 2): the analyzer's per-trace
 *   summaries, kept at ingest; see `postgres-summaries.ts`. `summaries (version, ts)` serves
 *   a time window newest first.
 * - `summary_changes` (version 4): which trace-timestamp ranges each catch-up or deletion of
 *   summaries touched, stamped with the writing transaction's id (`xid8`), so that readers
 *   (the analyzer's caches) recompute only those; see `postgres-summary-changes.ts`.
 *
 * Migrations are versioned: a database at an older version is upgraded in one transaction
 * under an advisory lock (several collectors may start at once); one at a newer version is
 * refused with what to do.
 */
import type pg from 'pg';

/** The version this code reads and writes. */
export const SCHEMA_VERSION = 5;

/**
 * Spans at least this long (µs) are also in the partial index `spans_slow`: a search for
 * slow spans of a service (`minDuration=200ms`, the usual hunt for outliers) finds its few
 * matches there instead of walking the service's whole index back through the store. Few
 * spans are this slow, so the index costs ingest little.
 */
export const SLOW_SPAN_US = 100_000;

/** The PostgreSQL schema (namespace) holding every table. */
export const PG_SCHEMA = 'hivelab';

/** One day in µs: the default partition width. */
export const DAY_US = 86_400_000_000;

/** Key of the advisory lock taken while migrating (any constant shared by all collectors). */
const MIGRATION_LOCK = 0x68697665; // "hive"

interface Migration {
  version: number;
  /** Statements; `${partitionUs}` is substituted where the width is stored. */
  sql: (partitionUs: number) => string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: (partitionUs) => `
CREATE TABLE ${PG_SCHEMA}.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO ${PG_SCHEMA}.meta VALUES ('partition_us', '${partitionUs}');
CREATE TABLE ${PG_SCHEMA}.spans (
  trace_id bytea NOT NULL,
  ts bigint NOT NULL,
  duration bigint,
  service text NOT NULL,
  doc text NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX spans_by_trace ON ${PG_SCHEMA}.spans (trace_id);
CREATE INDEX spans_by_service ON ${PG_SCHEMA}.spans (service, ts) INCLUDE (duration, trace_id);
CREATE INDEX spans_by_ts ON ${PG_SCHEMA}.spans (ts) INCLUDE (duration, trace_id);
CREATE TABLE ${PG_SCHEMA}.services (name text PRIMARY KEY);
CREATE TABLE ${PG_SCHEMA}.span_names (
  service text NOT NULL, kind text NOT NULL, name text NOT NULL,
  PRIMARY KEY (service, kind, name));
CREATE TABLE ${PG_SCHEMA}.remote_services (
  service text NOT NULL, remote text NOT NULL, PRIMARY KEY (service, remote));
CREATE TABLE ${PG_SCHEMA}.tag_values (key text NOT NULL, value text NOT NULL, PRIMARY KEY (key, value));
CREATE TABLE ${PG_SCHEMA}.span_counts (
  partition_start bigint NOT NULL, writer text NOT NULL, n bigint NOT NULL,
  PRIMARY KEY (partition_start, writer));
`,
  },
  {
    version: 2,
    // Spans written before this version are marked dirty, so their traces get summaries too.
    sql: () => `
CREATE TABLE ${PG_SCHEMA}.summary_dirty (trace_id bytea PRIMARY KEY, ts bigint NOT NULL);
CREATE TABLE ${PG_SCHEMA}.summary_groups (id serial PRIMARY KEY, text text NOT NULL UNIQUE);
CREATE TABLE ${PG_SCHEMA}.summaries (
  trace_id bytea PRIMARY KEY, ts bigint NOT NULL, version text NOT NULL,
  grp integer NOT NULL, data text NOT NULL);
CREATE INDEX summaries_by_ts ON ${PG_SCHEMA}.summaries (version, ts, trace_id);
CREATE INDEX summary_dirty_by_ts ON ${PG_SCHEMA}.summary_dirty (ts);
INSERT INTO ${PG_SCHEMA}.summary_dirty (trace_id, ts)
  SELECT trace_id, min(ts) FROM ${PG_SCHEMA}.spans GROUP BY trace_id;
`,
  },
  {
    version: 3,
    sql: () => `
CREATE INDEX spans_slow ON ${PG_SCHEMA}.spans (service, ts) INCLUDE (duration, trace_id)
  WHERE duration >= ${SLOW_SPAN_US};
`,
  },
  {
    version: 4,
    sql: () => `
CREATE TABLE ${PG_SCHEMA}.summary_changes (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(), from_ts bigint NOT NULL, to_ts bigint NOT NULL);
CREATE INDEX summary_changes_by_xid ON ${PG_SCHEMA}.summary_changes (xid);
`,
  },
  {
    version: 5,
    // Rows written before this version hold one span each, which the default says (and a
    // null ts_max: their only start is ts). A constant default and a null column are only
    // catalogue data, so no partition is rewritten.
    sql: () => `
ALTER TABLE ${PG_SCHEMA}.spans ADD COLUMN span_count integer NOT NULL DEFAULT 1, ADD COLUMN ts_max bigint;
`,
  },
];

/** What `migrate` found or made. */
export interface SchemaInfo {
  /** Width of a `spans` partition in µs, as the database was created with. */
  partitionUs: number;
}

/** A refusal the user can act on: the message says what to do. */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

/**
 * Creates or upgrades the schema, or refuses a database of another version. `partitionUs`
 * only matters when the database is new; an existing one keeps its width.
 */
export async function migrate(client: pg.ClientBase, partitionUs: number): Promise<SchemaInfo> {
  // A database at this version needs no DDL (and so no CREATE privilege, nor the lock).
  const current = await readVersion(client);
  if (current === SCHEMA_VERSION) return readInfo(client);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${PG_SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${PG_SCHEMA}.schema_version (version integer NOT NULL)`);
    // Read again under the lock: another collector may have migrated meanwhile.
    const locked = (await readVersion(client)) ?? 0;
    if (locked > SCHEMA_VERSION) {
      throw new SchemaVersionError(
        `the database holds hivelab trace store schema version ${locked}, newer than this hivelab's ` +
          `(${SCHEMA_VERSION}): upgrade hivelab, or point --store at another database`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= locked) continue;
      await client.query(migration.sql(partitionUs));
    }
    if (locked === 0) {
      await client.query(`INSERT INTO ${PG_SCHEMA}.schema_version VALUES ($1)`, [SCHEMA_VERSION]);
    } else if (locked < SCHEMA_VERSION) {
      await client.query(`UPDATE ${PG_SCHEMA}.schema_version SET version = $1`, [SCHEMA_VERSION]);
    }
    const info = await readInfo(client);
    await client.query('COMMIT');
    return info;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The schema version recorded in the database, or undefined when it has none. */
async function readVersion(client: pg.ClientBase): Promise<number | undefined> {
  const table = await client.query<{ t: string | null }>(
    `SELECT to_regclass('${PG_SCHEMA}.schema_version') AS t`,
  );
  if (table.rows[0]?.t == null) return undefined;
  const found = await client.query<{ version: number }>(`SELECT version FROM ${PG_SCHEMA}.schema_version`);
  return found.rows[0]?.version ?? 0;
}

async function readInfo(client: pg.ClientBase): Promise<SchemaInfo> {
  const width = await client.query<{ value: string }>(
    `SELECT value FROM ${PG_SCHEMA}.meta WHERE key = 'partition_us'`,
  );
  return { partitionUs: Number(width.rows[0]?.value ?? DAY_US) };
}

/** Name of the partition starting at `startUs` (a multiple of the width; may be negative). */
export function partitionName(startUs: number): string {
  return startUs < 0 ? `spans_m${-startUs}` : `spans_p${startUs}`;
}

/** Start (µs) of a partition from its name, or undefined for other tables. */
export function partitionStartOf(name: string): number | undefined {
  const match = /^spans_([pm])(\d+)$/.exec(name);
  if (match === null) return undefined;
  const value = Number(match[2]);
  return match[1] === 'm' ? -value : value;
}

/** Start of the partition holding `tsUs`. */
export function partitionStart(tsUs: number, partitionUs: number): number {
  return Math.floor(tsUs / partitionUs) * partitionUs;
}
