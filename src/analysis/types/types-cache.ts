/**
 * Request types over a store, from summaries read once per time bucket and kept in memory.
 *
 * `/api/hivelab/types` over the last 15 minutes re-read ~60 000 summary rows per request;
 * about half its CPU went to reading the rows and half to parsing them. Here the window is
 * cut into fixed buckets of trace timestamps (`bucketUs`, aligned to the epoch); each
 * bucket is read from the store once and kept parsed (head values and per-label sums, the
 * traces in the store's order), and a request only replays the kept buckets into fresh
 * accumulators. The store says which timestamp ranges its kept summaries changed in since
 * the last request (`TraceStore.summaryChanges`: new traces, late spans, retention), and
 * the buckets those ranges touch are read again.
 *
 * Invariant: replaying the buckets of a window newest first, each in store order, feeds
 * the accumulators the same traces in the same order as one scan of the window does, so the
 * result equals `accumulateTypes` over `summaries()` (the seeded samples included).
 */
import type { TraceStore, TraceSummarizer } from '../../store/index.js';
import type { TimeWindow } from '../time-range.js';
import { HEAD_FIELDS, SummaryDecoder, type SummaryGroup } from '../summary/trace-summarizer.js';
import type { KeyKind } from './request-key.js';
import { groupMatcher, keyOf, type SummaryFilter } from './request-types.js';
import { labelSums, readHead, TypeAccumulator, type ReadSummaries } from './type-accumulator.js';

export interface TypesCacheOptions {
  /** Width of a bucket of trace timestamps. @default 15 s */
  bucketUs?: number;
  /** Traces kept over all buckets; the least recently used buckets go first. @default 400 000 */
  maxTraces?: number;
}

export interface TypesCacheQuery extends SummaryFilter {
  window: TimeWindow;
  key: KeyKind;
  limit?: number;
}

/** The traces of one bucket, in store order (newest first). */
interface Bucket extends ReadSummaries {
  startUs: number;
  timestampsUs: Float64Array;
}

/** A growable Float64Array. */
class Floats {
  data = new Float64Array(1024);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Float64Array(Math.max(this.data.length * 2, this.length + extra));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class BucketBuilder {
  readonly traceIds: string[] = [];
  readonly groups: SummaryGroup[] = [];
  readonly #timestamps = new Floats();
  readonly #heads = new Floats();
  readonly #sums = new Floats();
  readonly #offsets: number[] = [0];
  readonly #head = new Float64Array(HEAD_FIELDS);
  /** One scratch array per group for its label sums. */
  readonly #scratch = new Map<SummaryGroup, Float64Array>();

  constructor(readonly startUs: number) {}

  add(traceId: string, timestampUs: number, group: SummaryGroup, data: string): void {
    this.traceIds.push(traceId);
    this.groups.push(group);
    this.#timestamps.reserve(1);
    this.#timestamps.data[this.#timestamps.length++] = timestampUs;
    const head = readHead(data, this.#head);
    this.#heads.reserve(HEAD_FIELDS);
    for (let i = 0; i < HEAD_FIELDS; i++) this.#heads.data[this.#heads.length++] = head[i] as number;
    const sums = labelSums(group, data, this.#scratch.get(group));
    this.#scratch.set(group, sums);
    this.#sums.reserve(sums.length);
    this.#sums.data.set(sums, this.#sums.length);
    this.#sums.length += sums.length;
    this.#offsets.push(this.#sums.length);
  }

  build(): Bucket {
    return {
      startUs: this.startUs,
      traceIds: this.traceIds,
      groups: this.groups,
      timestampsUs: this.#timestamps.done(),
      heads: this.#heads.done(),
      sums: this.#sums.done(),
      sumOffsets: Uint32Array.from(this.#offsets),
    };
  }
}

export class TypesCache {
  readonly #store: TraceStore;
  readonly #summarizer: TraceSummarizer;
  readonly #bucketUs: number;
  readonly #maxTraces: number;
  readonly #decoder = new SummaryDecoder();
  /** By bucket start; Map order is the LRU order (least recently used first). */
  readonly #buckets = new Map<number, Bucket>();
  #traces = 0;
  #token: number | undefined;
  /** Requests run one at a time: a bucket read must not race an invalidation of it. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Buckets read from the store, and buckets served from memory, since creation. */
  readonly counts = { read: 0, reused: 0 };

  constructor(store: TraceStore, summarizer: TraceSummarizer, options: TypesCacheOptions = {}) {
    this.#store = store;
    this.#summarizer = summarizer;
    this.#bucketUs = options.bucketUs ?? 15_000_000;
    this.#maxTraces = options.maxTraces ?? 400_000;
  }

  /**
   * The accumulated types of the query, equal to `accumulateTypes` over the store's
   * summaries of the window; `undefined` when the store cannot report changes for this
   * summarizer (the caller then reads the summaries itself).
   */
  accumulate(
    query: TypesCacheQuery,
    summarizer: TraceSummarizer,
  ): Promise<Map<string, TypeAccumulator> | undefined> {
    if (summarizer.version !== this.#summarizer.version || this.#store.summaryChanges === undefined) {
      return Promise.resolve(undefined);
    }
    const run = this.#queue.then(() => this.#accumulate(query));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #accumulate(query: TypesCacheQuery): Promise<Map<string, TypeAccumulator> | undefined> {
    const changes = await this.#store.summaryChanges?.(this.#summarizer, this.#token);
    if (changes === undefined) return undefined;
    if (changes.changed === 'all') this.#clear();
    else for (const range of changes.changed) this.#invalidate(range.fromUs, range.toUs);
    this.#token = changes.token;
    const buckets = await this.#bucketsOf(query.window);
    const result = replay(buckets, query);
    this.#evict();
    return result;
  }

  #clear(): void {
    this.#buckets.clear();
    this.#traces = 0;
  }

  #drop(startUs: number): void {
    const bucket = this.#buckets.get(startUs);
    if (bucket === undefined) return;
    this.#buckets.delete(startUs);
    this.#traces -= bucket.traceIds.length;
  }

  #invalidate(fromUs: number, toUs: number): void {
    const first = Math.floor(fromUs / this.#bucketUs);
    const last = Math.floor(toUs / this.#bucketUs);
    if (last - first > this.#buckets.size) {
      for (const startUs of [...this.#buckets.keys()]) {
        if (startUs + this.#bucketUs > fromUs && startUs <= toUs) this.#drop(startUs);
      }
      return;
    }
    for (let b = first; b <= last; b++) this.#drop(b * this.#bucketUs);
  }

  #evict(): void {
    for (const startUs of this.#buckets.keys()) {
      if (this.#traces <= this.#maxTraces) return;
      this.#drop(startUs);
    }
  }

  /** The buckets covering the window, newest first; missing runs are read in one scan each. */
  async #bucketsOf(window: TimeWindow): Promise<Bucket[]> {
    const first = Math.floor(window.startUs / this.#bucketUs);
    const last = Math.floor((window.endUs - 1) / this.#bucketUs);
    const result: Bucket[] = [];
    for (let b = last; b >= first;) {
      const kept = this.#buckets.get(b * this.#bucketUs);
      if (kept !== undefined) {
        // Most recently used goes last.
        this.#buckets.delete(kept.startUs);
        this.#buckets.set(kept.startUs, kept);
        this.counts.reused++;
        result.push(kept);
        b--;
        continue;
      }
      let low = b;
      while (low - 1 >= first && !this.#buckets.has((low - 1) * this.#bucketUs)) low--;
      for (const bucket of await this.#read(low, b)) {
        this.#buckets.set(bucket.startUs, bucket);
        this.#traces += bucket.traceIds.length;
        this.counts.read++;
        result.push(bucket);
      }
      b = low - 1;
    }
    return result;
  }

  /** Buckets `low..high` from one scan of the store, newest first. */
  async #read(low: number, high: number): Promise<Bucket[]> {
    const fromUs = low * this.#bucketUs;
    const toUs = (high + 1) * this.#bucketUs;
    // The store's window is (end - lookback, end] in ms: ask for one that covers ours.
    const endTsMs = Math.ceil(toUs / 1000);
    const lookbackMs = endTsMs - Math.floor(fromUs / 1000) + 1;
    const builders = new Map<number, BucketBuilder>();
    for (let b = high; b >= low; b--) builders.set(b, new BucketBuilder(b * this.#bucketUs));
    for await (const page of this.#store.summarizeTraces({ endTsMs, lookbackMs }, this.#summarizer)) {
      for (const summary of page) {
        if (summary.timestampUs < fromUs || summary.timestampUs >= toUs) continue;
        const builder = builders.get(Math.floor(summary.timestampUs / this.#bucketUs));
        builder?.add(summary.traceId, summary.timestampUs, this.#decoder.group(summary.group), summary.data);
      }
    }
    return [...builders.values()].map((builder) => builder.build());
  }
}

/** Feeds the traces of the window from `buckets` (newest first) to fresh accumulators. */
function replay(buckets: readonly Bucket[], query: TypesCacheQuery): Map<string, TypeAccumulator> {
  const matches = groupMatcher(query);
  const types = new Map<string, TypeAccumulator>();
  const entries = new Map<SummaryGroup, TypeAccumulator | null>();
  const { startUs, endUs } = query.window;
  let left = query.limit ?? Infinity;
  for (const bucket of buckets) {
    const n = bucket.traceIds.length;
    for (let i = 0; i < n; i++) {
      const ts = bucket.timestampsUs[i] as number;
      if (ts < startUs || ts >= endUs) continue;
      // As accumulateTypes: stop at the first trace past the limit, before it makes a type.
      if (left <= 0) return types;
      const group = bucket.groups[i] as SummaryGroup;
      let type = entries.get(group);
      if (type === undefined) {
        type = null;
        if (matches(group)) {
          const key = keyOf(group, query.key);
          type = types.get(key) ?? new TypeAccumulator(key);
          types.set(key, type);
        }
        entries.set(group, type);
      }
      if (type === null) continue;
      type.addRead(bucket, i);
      left -= 1;
    }
  }
  return types;
}
