/**
 * Opens a `TraceStore` from a small config: the one place that picks an adapter.
 */
import { UserError, errorMessage } from '../errors.js';
import { MemoryTraceStore } from './adapters/memory/memory-store.js';
import { SqliteTraceStore } from './adapters/sqlite/sqlite-store.js';
import type { TraceStore } from './trace-store.js';

export type TraceStoreOptions =
  /** SQLite file `<dataDir>/traces.sqlite`; the directory is created when missing. */
  { kind: 'sqlite'; dataDir: string; cacheMb?: number } | { kind: 'memory' };

/** Opens the store the options name. Fails with a `UserError` when the file cannot be opened. */
export function openTraceStore(options: TraceStoreOptions): Promise<TraceStore> {
  if (options.kind === 'memory') return Promise.resolve(new MemoryTraceStore());
  try {
    return Promise.resolve(SqliteTraceStore.open(options));
  } catch (error) {
    return Promise.reject(
      new UserError(
        `error while opening the trace store in ${options.dataDir}: ${errorMessage(error)}`,
        'check that the data directory (--data) is writable and not used by another hivelab version',
      ),
    );
  }
}
