/**
 * Per-trace summaries: what an analysis keeps of each trace (its request type, its cost) so
 * that questions over a million traces do not re-read ten million spans. The store does not
 * know what a summary means: a `TraceSummarizer` (a pure function with a version) computes
 * it from a trace's spans, and an adapter may keep the results, computed at ingest, for as
 * long as no span is added to the trace.
 */
import type { Span } from '../spans/index.js';

/** What a summarizer makes of one trace: two opaque strings. */
export interface TraceSummaryParts {
  /**
   * Text shared by many traces (e.g. the request type and its node names); adapters may
   * store each distinct value once.
   */
  group: string;
  /** The trace's own figures. */
  data: string;
}

/** Computes the summary of one trace. */
export interface TraceSummarizer {
  /**
   * Names the computation: a kept summary is only returned to a summarizer of the same
   * version, so change it whenever `summarize` would answer differently.
   */
  readonly version: string;
  /**
   * Pure and deterministic. `spans` are the trace's spans, merged (`mergeSpans`), names
   * lower-cased and sorted by timestamp, as `getTrace` returns them.
   */
  summarize(spans: readonly Span[]): TraceSummaryParts;
}

/** One trace's summary as a store returns it. */
export interface TraceSummary extends TraceSummaryParts {
  traceId: string;
  /** The trace timestamp (`traceTimestampUs`: the root's start, else the earliest start). */
  timestampUs: number;
}

/** Which traces to summarise: those whose trace timestamp is in `(endTsMs - lookbackMs, endTsMs]`. */
export interface SummaryQuery {
  endTsMs: number;
  lookbackMs: number;
  /** At most this many traces, the newest. @default unlimited */
  limit?: number;
}

/** Inclusive range of trace timestamps, epoch µs. */
export interface TimestampRange {
  fromUs: number;
  toUs: number;
}

/** What changed in a store's kept summaries since an earlier answer (`TraceStore.summaryChanges`). */
export interface SummaryChanges {
  /** Pass it back as `since` to hear of later changes only. */
  token: number;
  /**
   * The trace-timestamp ranges in which summaries were added, rewritten (a late span) or
   * deleted (retention), in no particular order; `'all'` when the store cannot tell (the
   * first call, a log that no longer reaches back, summaries rebuilt).
   */
  changed: TimestampRange[] | 'all';
}
