/**
 * The admission bound between HTTP and the store: how many spans may be accepted and not
 * yet durable. Batching is the store's (`store/group-commit.ts`): every admitted batch goes
 * to `append` at once, and appends that arrive while a commit runs join the next one, so
 * there is one layer that coalesces, not two.
 *
 * Invariants:
 * - `queuedSpans` counts spans admitted and not yet durable; it never exceeds
 *   `maxQueuedSpans`, except for one batch admitted into an empty queue (a batch is
 *   already bounded by the body size limit, and refusing it forever would be worse).
 * - A submitted batch resolves only after the store's `append` of it resolved
 *   (acknowledge only what is durable).
 */
import type { Span } from '../../spans/index.js';

export interface IngestQueueOptions {
  maxQueuedSpans: number;
  /** The durable write; usually `store.append`, which coalesces concurrent calls. */
  append: (spans: readonly Span[]) => Promise<void>;
}

export class IngestQueue {
  readonly maxQueuedSpans: number;
  private readonly append: (spans: readonly Span[]) => Promise<void>;
  private queued = 0;
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
    return this.write(spans);
  }

  /** Resolves when nothing is queued (used by `close()` to drain). */
  whenIdle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async write(spans: readonly Span[]): Promise<void> {
    try {
      await this.append(spans);
    } finally {
      this.queued -= spans.length;
      if (this.queued === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }
}
