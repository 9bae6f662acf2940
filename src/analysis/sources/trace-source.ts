/**
 * Where traces come from: the local store, a Zipkin-compatible server (a hivelab
 * collector), a Jaeger query API, or files. Each source yields per-trace summaries in pages
 * (remote sources page their queries and summarise as they go, so no million-trace
 * document is ever held) and fetches single traces by id.
 */
import type { Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary } from '../../store/index.js';
import type { TypeAccumulator } from '../types/type-accumulator.js';
import type { TypesCacheQuery } from '../types/types-cache.js';
import type { TimeWindow } from '../time-range.js';

/** Epoch µs; a trace belongs to the window when its timestamp is in `[startUs, endUs)`. */
export type { TimeWindow } from '../time-range.js';

export interface SourceQuery {
  /** Unbounded when absent (files) or the source's default (remote). */
  window?: TimeWindow;
  /** Narrows remote searches; the analysis applies the filter exactly in any case. */
  service?: string;
  operation?: string;
  /** The source may stop after this many traces. */
  limit?: number;
}

export interface TraceSource {
  /** For messages: "the store in ./data", "the Zipkin API at http://…". */
  readonly description: string;
  summaries(query: SourceQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]>;
  /**
   * Optional: the request types of the query as `accumulateTypes` over `summaries()` would
   * gather them, from a cache; `undefined` when the cache cannot answer (read the summaries).
   */
  cachedTypes?(
    query: TypesCacheQuery,
    summarizer: TraceSummarizer,
  ): Promise<Map<string, TypeAccumulator> | undefined>;
  /** A trace's spans, merged and sorted by start; empty when unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  close(): Promise<void>;
}
