/**
 * The `store` subsystem: the `TraceStore` port, its adapters (SQLite, the embedded default,
 * and in-memory) and the pure helpers the query APIs share. The contract suite
 * (`trace-store.contract.ts`) is imported by adapter tests only.
 */
export type { TraceStore, TraceQuery, RetentionPolicy, StoreStats } from './trace-store.js';
export type { TraceSummarizer, TraceSummary, TraceSummaryParts, SummaryQuery } from './trace-summary.js';
export { openTraceStore, type TraceStoreOptions } from './open-trace-store.js';
export { MemoryTraceStore } from './adapters/memory/memory-store.js';
export {
  SqliteTraceStore,
  SQLITE_FILE_NAME,
  type SqliteTraceStoreOptions,
} from './adapters/sqlite/sqlite-store.js';
export { matchesQuery } from './match-query.js';
export { linkDependencies, DependencyLinker } from './link-dependencies.js';
export { mergeSpans } from './merge-spans.js';
export { traceTimestampUs } from './trace-timestamp.js';
