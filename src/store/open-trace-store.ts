/**
 * Opens a `TraceStore` from a small config: the one place that picks an adapter.
 */
import { UserError, errorMessage } from '../errors.js';
import { MemoryTraceStore } from './adapters/memory/memory-store.js';
import { SqliteTraceStore, type SqliteTraceStoreOptions } from './adapters/sqlite/sqlite-store.js';
import type { TraceStore } from './trace-store.js';

export type TraceStoreOptions =
  /** SQLite file `<dataDir>/traces.sqlite`; the directory is created when missing. */
  ({ kind: 'sqlite' } & SqliteTraceStoreOptions) | { kind: 'memory' };

/** Opens the store the options name. Fails with a `UserError` when the file cannot be opened. */
export async function openTraceStore(options: TraceStoreOptions): Promise<TraceStore> {
  if (options.kind === 'memory') return new MemoryTraceStore();
  try {
    return await SqliteTraceStore.open(options);
  } catch (error) {
    throw new UserError(
      `error while opening the trace store in ${options.dataDir}: ${errorMessage(error)}`,
      'check that the data directory (--data) is writable and not used by another hivelab version',
    );
  }
}
