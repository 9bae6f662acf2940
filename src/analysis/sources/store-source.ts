/**
 * The local store as a source (`--data DIR`, the fastest path): summaries come from
 * `TraceStore.summarizeTraces`, which reads the per-trace summaries kept at ingest when
 * the store was opened with the same summarizer.
 */
import type { Span } from '../../spans/index.js';
import type { TraceStore, TraceSummarizer, TraceSummary } from '../../store/index.js';
import type { TypeAccumulator } from '../types/type-accumulator.js';
import { TypesCache, type TypesCacheOptions, type TypesCacheQuery } from '../types/types-cache.js';
import { createTraceSummarizer } from '../summary/trace-summarizer.js';
import type { SourceQuery, TraceSource } from './trace-source.js';

/** A window "since ever": from the epoch to a day from now. */
function fullWindowMs(nowMs: number): { endTsMs: number; lookbackMs: number } {
  const endTsMs = nowMs + 86_400_000;
  return { endTsMs, lookbackMs: endTsMs };
}

export class StoreSource implements TraceSource {
  readonly description: string;
  readonly #store: TraceStore;
  readonly #owned: boolean;
  readonly #typesCache: TypesCache | undefined;

  /**
   * `owned`: close the store with the source. `typesCache`: keep request types per time
   * bucket between calls (for a long-lived source such as the collector's; see
   * `types-cache.ts`), for the default summarizer.
   */
  constructor(store: TraceStore, description: string, owned = true, typesCache?: TypesCacheOptions) {
    this.#store = store;
    this.description = description;
    this.#owned = owned;
    this.#typesCache = typesCache && new TypesCache(store, createTraceSummarizer(), typesCache);
  }

  cachedTypes(
    query: TypesCacheQuery,
    summarizer: TraceSummarizer,
  ): Promise<Map<string, TypeAccumulator> | undefined> {
    return this.#typesCache?.accumulate(query, summarizer) ?? Promise.resolve(undefined);
  }

  /** Buckets read from the store and served from memory by the types cache (none without one). */
  typesCacheCounts(): { read: number; reused: number } {
    return { ...(this.#typesCache?.counts ?? { read: 0, reused: 0 }) };
  }

  summaries(query: SourceQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    // The store's window is (end - lookback, end] in ms; ours [start, end) in µs: ask for a
    // window that covers ours, then cut exactly.
    let window = fullWindowMs(Date.now());
    if (query.window !== undefined) {
      const endTsMs = Math.ceil(query.window.endUs / 1000);
      window = { endTsMs, lookbackMs: Math.max(1, endTsMs - Math.floor(query.window.startUs / 1000) + 1) };
    }
    // The analysis applies the limit after the filter and the exact window cut; the store's
    // own limit could count traces of the covering window that the cut then drops.
    const filtered = query.service !== undefined || query.operation !== undefined;
    const limit = filtered || query.window !== undefined ? undefined : query.limit;
    const pages = this.#store.summarizeTraces(
      { ...window, ...(limit !== undefined ? { limit } : {}) },
      summarizer,
    );
    const exact = query.window;
    if (exact === undefined) return pages;
    return (async function* () {
      for await (const page of pages) {
        yield page.filter((s) => s.timestampUs >= exact.startUs && s.timestampUs < exact.endUs);
      }
    })();
  }

  getTrace(traceId: string): Promise<Span[]> {
    return this.#store.getTrace(traceId);
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#store.close();
  }
}
