/**
 * The in-memory `TraceStore`: for tests and short experiments. Nothing survives the
 * process, so `append` resolves at once. Queries scan every trace and apply the same pure
 * matcher as the other adapters.
 */
import type { DependencyLink, Span } from '../../../spans/index.js';
import type { RetentionPolicy, StoreStats, TraceQuery, TraceStore } from '../../trace-store.js';
import type {
  SummaryChanges,
  SummaryQuery,
  TraceSummarizer,
  TraceSummary,
  TraceSummaryParts,
} from '../../trace-summary.js';
import { kindLabel, MAX_AUTOCOMPLETE_VALUE_LENGTH, MAX_VALUES_PER_TAG_KEY } from '../../autocomplete.js';
import { linkDependencies } from '../../link-dependencies.js';
import { inWindow, matchesQuery } from '../../match-query.js';
import { mergeSpans } from '../../merge-spans.js';
import { normalizeQuery, normalizeSpan } from '../../normalize-span.js';
import { CHANGE_GAP_US, coalesceTimestamps, KEPT_CHANGES } from '../../summary-change-ranges.js';
import { compareTracesNewestFirst, sortByTimestamp, traceTimestampUs } from '../../trace-timestamp.js';

/** Rough bytes per span for `stats().sizeBytes`: its JSON length plus map overhead. */
const OVERHEAD_BYTES_PER_SPAN = 64;

interface StoredTrace {
  spans: Span[];
  bytes: number;
  /** Newest span start, for retention by age. */
  maxTimestampUs: number;
  /** Insertion sequence of the first span, to break age ties. */
  seq: number;
  /** The trace timestamp as `summarizeTraces` places it, as of the last append (for the change log). */
  timestampUs: number;
  /** The last summary computed, and by which summarizer version; dropped on append. */
  summary?: { version: string; parts: TraceSummaryParts };
}

/** Traces per batch of `summarizeTraces`. */
const SUMMARY_BATCH = 1000;

export class MemoryTraceStore implements TraceStore {
  readonly #traces = new Map<string, StoredTrace>();
  /** service → kind label → span names. */
  readonly #spanNames = new Map<string, Map<string, Set<string>>>();
  readonly #remoteServices = new Map<string, Set<string>>();
  readonly #tagValues = new Map<string, Set<string>>();
  #spanCount = 0;
  #bytes = 0;
  #seq = 0;
  #closed = false;
  /**
   * Trace timestamps whose summaries changed (a new trace, a late span's old and new
   * timestamp, a deletion), each with its number in `#changeCount`; the newest
   * KEPT_CHANGES are kept, and a reader whose token is older is told 'all'.
   */
  readonly #changes: { n: number; tsUs: number }[] = [];
  #changeCount = 0;

  append(spans: readonly Span[]): Promise<void> {
    this.#assertOpen();
    /** The traces this append changed, with their timestamp before it (none when new). */
    const touched = new Map<StoredTrace, number | undefined>();
    for (const input of spans) {
      const span = normalizeSpan(input);
      const bytes = JSON.stringify(span).length + OVERHEAD_BYTES_PER_SPAN;
      let trace = this.#traces.get(span.traceId);
      if (trace === undefined) {
        trace = { spans: [], bytes: 0, maxTimestampUs: 0, seq: this.#seq++, timestampUs: 0 };
        this.#traces.set(span.traceId, trace);
      }
      if (!touched.has(trace)) touched.set(trace, trace.spans.length > 0 ? trace.timestampUs : undefined);
      trace.spans.push(span);
      delete trace.summary;
      trace.bytes += bytes;
      trace.maxTimestampUs = Math.max(trace.maxTimestampUs, span.timestamp ?? 0);
      this.#spanCount += 1;
      this.#bytes += bytes;
      this.#index(span);
    }
    for (const [trace, before] of touched) {
      trace.timestampUs = traceTimestampUs(sortByTimestamp(mergeSpans(trace.spans)));
      if (before !== undefined) this.#logChange(before);
      this.#logChange(trace.timestampUs);
    }
    return Promise.resolve();
  }

  #logChange(tsUs: number): void {
    this.#changes.push({ n: ++this.#changeCount, tsUs });
    if (this.#changes.length > 2 * KEPT_CHANGES) this.#changes.splice(0, this.#changes.length - KEPT_CHANGES);
  }

  /**
   * Where summaries changed since `since`: this store computes them on demand for any
   * summarizer, so every summarizer is answered. A token is a count of changes.
   */
  summaryChanges(_summarizer: TraceSummarizer, since?: number): Promise<SummaryChanges> {
    this.#assertOpen();
    const token = this.#changeCount;
    const oldestKept = this.#changes[0]?.n ?? token + 1;
    if (since === undefined || since > token || since < oldestKept - 1) {
      return Promise.resolve({ token, changed: 'all' });
    }
    const timestamps = this.#changes.filter((c) => c.n > since).map((c) => c.tsUs);
    return Promise.resolve({ token, changed: coalesceTimestamps(timestamps, CHANGE_GAP_US) });
  }

  #index(span: Span): void {
    const service = span.localEndpoint?.serviceName;
    if (service !== undefined) {
      const byKind = this.#spanNames.get(service) ?? new Map<string, Set<string>>();
      this.#spanNames.set(service, byKind);
      const label = kindLabel(span.kind);
      const names = byKind.get(label) ?? new Set<string>();
      byKind.set(label, names);
      if (span.name !== undefined) names.add(span.name);
      const remote = span.remoteEndpoint?.serviceName;
      if (remote !== undefined) {
        const remotes = this.#remoteServices.get(service) ?? new Set<string>();
        this.#remoteServices.set(service, remotes);
        remotes.add(remote);
      }
    }
    for (const [key, value] of Object.entries(span.tags ?? {})) {
      const values = this.#tagValues.get(key) ?? new Set<string>();
      this.#tagValues.set(key, values);
      if (values.size < MAX_VALUES_PER_TAG_KEY && value.length <= MAX_AUTOCOMPLETE_VALUE_LENGTH) {
        values.add(value);
      }
    }
  }

  #read(traceId: string): Span[] | undefined {
    const trace = this.#traces.get(traceId.toLowerCase());
    return trace === undefined ? undefined : sortByTimestamp(mergeSpans(trace.spans));
  }

  getTrace(traceId: string): Promise<Span[]> {
    this.#assertOpen();
    return Promise.resolve(this.#read(traceId) ?? []);
  }

  getTraces(traceIds: readonly string[]): Promise<Span[][]> {
    this.#assertOpen();
    const out: Span[][] = [];
    for (const id of new Set(traceIds.map((t) => t.toLowerCase()))) {
      const trace = this.#read(id);
      if (trace !== undefined) out.push(trace);
    }
    return Promise.resolve(out);
  }

  findTraces(input: TraceQuery): Promise<Span[][]> {
    this.#assertOpen();
    const query = normalizeQuery(input);
    const found: Span[][] = [];
    for (const trace of this.#traces.values()) {
      const spans = mergeSpans(trace.spans);
      if (matchesQuery(spans, query)) found.push(sortByTimestamp(spans));
    }
    return Promise.resolve(found.sort(compareTracesNewestFirst).slice(0, Math.max(0, query.limit)));
  }

  serviceNames(): Promise<string[]> {
    return Promise.resolve([...this.#spanNames.keys()].sort());
  }

  spanNames(serviceName: string, kind?: Span['kind'] | 'INTERNAL'): Promise<string[]> {
    const byKind = this.#spanNames.get(serviceName.toLowerCase());
    const names = new Set<string>();
    for (const [label, set] of byKind ?? []) {
      if (kind !== undefined && label !== kind) continue;
      for (const name of set) names.add(name);
    }
    return Promise.resolve([...names].sort());
  }

  remoteServiceNames(serviceName: string): Promise<string[]> {
    return Promise.resolve([...(this.#remoteServices.get(serviceName.toLowerCase()) ?? [])].sort());
  }

  dependencies(endTsMs: number, lookbackMs: number): Promise<DependencyLink[]> {
    this.#assertOpen();
    const window = { endTsMs, lookbackMs, limit: 0 };
    const inRange = [...this.#traces.values()]
      .map((t) => t.spans)
      .filter((spans) => inWindow(traceTimestampUs(spans), window));
    return Promise.resolve(linkDependencies(inRange));
  }

  /** Computes summaries on demand and keeps each until its trace changes. */
  async *summarizeTraces(query: SummaryQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    this.#assertOpen();
    const window = { endTsMs: query.endTsMs, lookbackMs: query.lookbackMs, limit: 0 };
    const found: { id: string; trace: StoredTrace; spans: Span[]; timestampUs: number }[] = [];
    for (const [id, trace] of this.#traces) {
      const spans = sortByTimestamp(mergeSpans(trace.spans));
      const timestampUs = traceTimestampUs(spans);
      if (timestampUs !== 0 && inWindow(timestampUs, window)) found.push({ id, trace, spans, timestampUs });
    }
    found.sort((a, b) => b.timestampUs - a.timestampUs || (a.id < b.id ? -1 : 1));
    const chosen = query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit));
    for (let i = 0; i < chosen.length; i += SUMMARY_BATCH) {
      // Appends may run between batches (they only drop kept summaries).
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const batch: TraceSummary[] = [];
      for (const { id, trace, spans, timestampUs } of chosen.slice(i, i + SUMMARY_BATCH)) {
        if (trace.summary?.version !== summarizer.version) {
          trace.summary = { version: summarizer.version, parts: summarizer.summarize(spans) };
        }
        batch.push({ traceId: id, timestampUs, ...trace.summary.parts });
      }
      yield batch;
    }
  }

  autocompleteKeys(): Promise<string[]> {
    return Promise.resolve([...this.#tagValues.keys()].sort());
  }

  autocompleteValues(key: string): Promise<string[]> {
    return Promise.resolve([...(this.#tagValues.get(key) ?? [])].sort());
  }

  stats(): Promise<StoreStats> {
    return Promise.resolve({ spanCount: this.#spanCount, sizeBytes: this.#bytes });
  }

  applyRetention(policy: RetentionPolicy, nowMs: number): Promise<number> {
    this.#assertOpen();
    const oldestFirst = [...this.#traces.entries()].sort(
      ([, a], [, b]) => a.maxTimestampUs - b.maxTimestampUs || a.seq - b.seq,
    );
    let deleted = 0;
    const cutoffUs = policy.maxAgeMs === undefined ? -Infinity : (nowMs - policy.maxAgeMs) * 1000;
    for (const [id, trace] of oldestFirst) {
      const tooOld = trace.maxTimestampUs < cutoffUs;
      const tooBig = policy.maxBytes !== undefined && this.#bytes > policy.maxBytes;
      if (!tooOld && !tooBig) break;
      this.#traces.delete(id);
      this.#logChange(trace.timestampUs);
      this.#spanCount -= trace.spans.length;
      this.#bytes -= trace.bytes;
      deleted += trace.spans.length;
    }
    return Promise.resolve(deleted);
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the trace store is closed');
  }
}
