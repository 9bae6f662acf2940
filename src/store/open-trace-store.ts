/**
 * Opens a `TraceStore` from a small config: the one place that picks an adapter.
 */
import { UserError, errorMessage } from '../errors.js';
import { MemoryTraceStore } from './adapters/memory/memory-store.js';
import { PostgresTraceStore, type PostgresTraceStoreOptions } from './adapters/postgres/postgres-store.js';
import { SchemaVersionError } from './adapters/postgres/postgres-schema.js';
import { isPostgresUrl, parsePgStoreUrl } from './adapters/postgres/postgres-url.js';
import { SqliteTraceStore, type SqliteTraceStoreOptions } from './adapters/sqlite/sqlite-store.js';
import type { TraceStore } from './trace-store.js';

export type TraceStoreOptions =
  /** SQLite file `<dataDir>/traces.sqlite`; the directory is created when missing. */
  | ({ kind: 'sqlite' } & SqliteTraceStoreOptions)
  | { kind: 'memory' }
  /** PostgreSQL at `url` (`postgres://user:password@host:5432/database`). */
  | ({ kind: 'postgres' } & PostgresTraceStoreOptions);

/**
 * The store a `--store` flag names: a `postgres://` URL, or `sqlite` / `memory`; SQLite
 * lives in `dataDir`. Throws a `UserError` for anything else.
 */
export function storeOptionsFromFlag(value: string, dataDir: string, flag = '--store'): TraceStoreOptions {
  if (value === 'sqlite') return { kind: 'sqlite', dataDir };
  // `sqlite?writer=thread`: SQLite's writes in a worker thread, so a heavy ingest leaves the
  // event loop to the queries (each append costs a message to the thread and back).
  if (value.startsWith('sqlite?')) {
    const writer = /^sqlite\?writer=(inline|thread)$/.exec(value)?.[1];
    if (writer === undefined) {
      throw new UserError(
        `${flag}: the only SQLite option is writer=inline or writer=thread, got ${JSON.stringify(value)}`,
        'e.g. --store "sqlite?writer=thread"',
      );
    }
    return { kind: 'sqlite', dataDir, writer: writer as 'inline' | 'thread' };
  }
  if (value === 'memory') return { kind: 'memory' };
  if (isPostgresUrl(value)) {
    try {
      parsePgStoreUrl(value);
    } catch (error) {
      throw new UserError(
        `${flag}: ${errorMessage(error)}`,
        'e.g. --store postgres://user:password@host:5432/db',
      );
    }
    return { kind: 'postgres', url: value };
  }
  throw new UserError(
    `${flag} must be sqlite, memory or a postgres:// URL, got ${JSON.stringify(value)}`,
    'e.g. --store postgres://user:password@host:5432/db',
  );
}

async function openPostgres(options: PostgresTraceStoreOptions): Promise<TraceStore> {
  try {
    return await PostgresTraceStore.open(options);
  } catch (error) {
    const shown = parsePgStoreUrl(options.url).shown;
    if (error instanceof SchemaVersionError) {
      throw new UserError(`error while opening the trace store at ${shown}: ${error.message}`);
    }
    throw new UserError(
      `error while opening the trace store at ${shown}: ${errorMessage(error)}`,
      'check that PostgreSQL is running and reachable, and that the role may connect and create tables ' +
        '(CREATE on the database, or an existing "hivelab" schema it owns)',
    );
  }
}

/** Opens the store the options name. Fails with a `UserError` when the file cannot be opened. */
export async function openTraceStore(options: TraceStoreOptions): Promise<TraceStore> {
  if (options.kind === 'memory') return new MemoryTraceStore();
  if (options.kind === 'postgres') return openPostgres(options);
  try {
    return await SqliteTraceStore.open(options);
  } catch (error) {
    throw new UserError(
      `error while opening the trace store in ${options.dataDir}: ${errorMessage(error)}`,
      'check that the data directory (--data) is writable and not used by another hivelab version',
    );
  }
}
