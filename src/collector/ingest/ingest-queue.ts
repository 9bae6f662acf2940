/**
 * The bounded ingest queue between HTTP and the store.
 *
 * Invariants:
 * - `queuedSpans` counts spans admitted and not yet durable; it never exceeds
 *   `maxQueuedSpans`, except for one batch admitted into an empty queue (a batch is
 *   already bounded by the body size limit, and refusing it forever would be worse).
 * - A submitted batch resolves only after the store's `append` that contains it resolved
 *   (acknowledge only what is durable).
 * - Batches that arrive while an append is in flight are merged into the next append
 *   (group commit): one store transaction for many requests under load.
 */
import type { Span } from '../../spans/index.js';

export interface IngestQueueOptions {
  maxQueuedSpans: number;
  /** The durable write; usually `store.append`. */
  append: (spans: readonly Span[]) => Promise<void>;
}

interface Pending {
  spans: readonly Span[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class IngestQueue {
  readonly maxQueuedSpans: number;
  private readonly append: (spans: readonly Span[]) => Promise<void>;
  private pending: Pending[] = [];
  private queued = 0;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: IngestQueueOptions) {
    this.maxQueuedSpans = options.maxQueuedSpans;
    this.append = options.append;
  }

  /** Spans admitted and not yet durable. */
  get queuedSpans(): number {
    return this.queued;
  }

  /**
   * Admits a batch and resolves once it is durable, or returns `undefined` at once when
   * the queue has no room for it (the caller answers 429/503 and counts the refusal).
   */
  submit(spans: readonly Span[]): Promise<void> | undefined {
    if (spans.length === 0) return Promise.resolve();
    if (this.queued > 0 && this.queued + spans.length > this.maxQueuedSpans) return undefined;
    this.queued += spans.length;
    const done = new Promise<void>((resolve, reject) => this.pending.push({ spans, resolve, reject }));
    if (!this.flushing) {
      this.flushing = true;
      // Let the other requests parsed in this turn of the event loop join the same append.
      setImmediate(() => void this.flush());
    }
    return done;
  }

  /** Resolves when nothing is queued (used by `close()` to drain). */
  whenIdle(): Promise<void> {
    if (this.queued === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const spans = batch.length === 1 ? batch[0]!.spans : batch.flatMap((p) => p.spans);
      try {
        await this.append(spans);
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      } finally {
        this.queued -= spans.length;
      }
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
