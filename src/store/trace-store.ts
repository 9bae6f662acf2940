/**
 * The `TraceStore` port. Adapters live in `store/adapters/<name>/`; every adapter runs the
 * one contract suite in `testing/trace-store-contract.ts`.
 *
 * Semantics follow Zipkin's storage: a trace is every span sharing a `traceId`; a query
 * matches a trace when one of its spans satisfies every criterion at once.
 */
import type { DependencyLink, Span } from '../spans/index.js';
import type { SummaryChanges, SummaryQuery, TraceSummarizer, TraceSummary } from './trace-summary.js';

export interface TraceQuery {
  /** Local service name of a matching span. */
  serviceName?: string;
  /** Remote service name of a matching span. */
  remoteServiceName?: string;
  /** Span name of a matching span. */
  spanName?: string;
  /**
   * Zipkin's `annotationQuery`, parsed: key → value for `key=value` (tag equality),
   * key → `''` for a bare word (an annotation value or a tag key that exists).
   */
  annotationQuery?: Record<string, string>;
  minDurationUs?: number;
  maxDurationUs?: number;
  /** Only traces with a span starting in `(endTsMs - lookbackMs, endTsMs]`. */
  endTsMs: number;
  lookbackMs: number;
  /** Maximum number of traces, newest first. */
  limit: number;
}

export interface RetentionPolicy {
  /** Delete traces whose newest span started longer ago than this. */
  maxAgeMs?: number;
  /** Delete the oldest traces until the store is at most this big. */
  maxBytes?: number;
}

export interface StoreStats {
  spanCount: number;
  /** Bytes the store occupies (file size for SQLite, estimate for memory). */
  sizeBytes: number;
}

export interface TraceStore {
  /** Resolves once the spans are durable: after this, they survive a kill -9. */
  append(spans: readonly Span[]): Promise<void>;
  /** The spans of one trace (empty when absent), sorted by timestamp. */
  getTrace(traceId: string): Promise<Span[]>;
  /** The traces that exist among `traceIds`, each sorted by timestamp. */
  getTraces(traceIds: readonly string[]): Promise<Span[][]>;
  /** Matching traces, newest first, at most `query.limit`. */
  findTraces(query: TraceQuery): Promise<Span[][]>;
  /** Every local service name, sorted. */
  serviceNames(): Promise<string[]>;
  /** Span names of a service, sorted; `kind` narrows to spans of that kind. */
  spanNames(serviceName: string, kind?: Span['kind'] | 'INTERNAL'): Promise<string[]>;
  /** Remote service names seen from a service, sorted. */
  remoteServiceNames(serviceName: string): Promise<string[]>;
  /** Caller → callee links from spans in `(endTsMs - lookbackMs, endTsMs]`. */
  dependencies(endTsMs: number, lookbackMs: number): Promise<DependencyLink[]>;
  /** Tag keys seen, sorted. */
  autocompleteKeys(): Promise<string[]>;
  /** Values seen for a tag key, sorted. */
  autocompleteValues(key: string): Promise<string[]>;
  /**
   * The summary of every trace whose timestamp is in the window, newest first (ties in any
   * order), each trace once, in batches (of any size). A summary reflects every span
   * appended before the call. An adapter opened with a summarizer of the same `version`
   * may return summaries it computed earlier (at ingest); any other summarizer is run on
   * the traces as they are read.
   */
  summarizeTraces(query: SummaryQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]>;
  /**
   * Optional, for caches of results computed from kept summaries: brings the kept summaries
   * up to date with every span appended before the call (as `summarizeTraces` does), then
   * says where they changed since `since` (the token of an earlier answer). `undefined`
   * when the store keeps no summaries for this summarizer (a cache cannot be told then).
   */
  summaryChanges?(summarizer: TraceSummarizer, since?: number): Promise<SummaryChanges | undefined>;
  stats(): Promise<StoreStats>;
  /** Deletes what the policy says is too old or too much; resolves to spans deleted. */
  applyRetention(policy: RetentionPolicy, nowMs: number): Promise<number>;
  close(): Promise<void>;
}
