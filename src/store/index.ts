/**
 * The `store` subsystem: the `TraceStore` port, its adapters (SQLite, the embedded default,
 * in-memory, and PostgreSQL for a shared store) and the pure helpers the query APIs share. The contract suite
 * (`testing/trace-store-contract.ts`) is imported by adapter tests only.
 */
export type { TraceStore, TraceQuery, RetentionPolicy, StoreStats } from './trace-store.js';
export type {
  TraceSummarizer,
  TraceSummary,
  TraceSummaryParts,
  SummaryQuery,
  SummaryChanges,
  TimestampRange,
} from './trace-summary.js';
export { openTraceStore, storeOptionsFromFlag, type TraceStoreOptions } from './open-trace-store.js';
export { StoreUnavailableError } from './store-errors.js';
export { MemoryTraceStore } from './adapters/memory/memory-store.js';
export {
  SqliteTraceStore,
  SQLITE_FILE_NAME,
  type SqliteTraceStoreOptions,
} from './adapters/sqlite/sqlite-store.js';
export { PostgresTraceStore, type PostgresTraceStoreOptions } from './adapters/postgres/postgres-store.js';
export { matchesQuery } from './match-query.js';
export { linkDependencies, DependencyLinker } from './link-dependencies.js';
export { mergeSpans } from './merge-spans.js';
export { traceTimestampUs } from './trace-timestamp.js';
export { GroupCommit, type CommitFn } from './group-commit.js';
