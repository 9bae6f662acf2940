/**
 * A small pool of generic runtimes started ahead of demand (as Fission's pool manager and
 * OpenWhisk's stem cells): a launch takes one and specialises it; the pool refills in the
 * background once that cold start is over (the taken instance answered its first request,
 * or failed), so the refill's process boot does not compete for CPU with the cold request
 * it would only delay: measured behind the gateway on 2 cores, a refill on a fixed 20 ms
 * timer landed in the middle of the first request and made it several times slower.
 * "Over" is the instance's report of its first answer, and the refill waits `settleMs`
 * more: the report can reach the platform before the answer's last bytes have gone from
 * the gateway to the client (gRPC's trailers), and the spawn runs on the gateway's thread.
 * Measured on a prewarmed gRPC helloworld through the gateway (load ~2, 12 runs each),
 * cold request p50: refill at the report 29.8 ms, 15 ms later 20.5 ms, 50 ms later 17.9 ms.
 */

/** One pooled runtime and the moment it reported it was up and waiting. */
export interface PoolEntry<T> {
  runtime: T;
  idle: Promise<void>;
}

export interface PoolHooks<T> {
  /** Starts a generic runtime. */
  start(): PoolEntry<T>;
  isAlive(runtime: T): boolean;
  dispose(runtime: T): void;
}

export class PrewarmPool<T> {
  private readonly entries: PoolEntry<T>[] = [];
  private refillTimer: NodeJS.Timeout | undefined;
  private refillPending = false;
  private closed = false;

  /**
   * @param size runtimes kept ready. @default 1 (set by the driver)
   * @param refillDelayMs after a take, the longest wait for its cold start to end before
   *   the replacement starts anyway (an instance that gets no request soon). @default 500
   * @param settleMs after the cold start ended, the wait before the replacement starts, so
   *   the first answer leaves the platform first. @default 50
   */
  constructor(
    private readonly hooks: PoolHooks<T>,
    private readonly size: number,
    private readonly refillDelayMs = 500,
    private readonly settleMs = 50,
  ) {}

  /** Starts runtimes until the pool is full; resolves when all of them are idle. */
  async fill(): Promise<void> {
    this.prune();
    while (!this.closed && this.entries.length < this.size) this.entries.push(this.hooks.start());
    await Promise.all(this.entries.map((e) => e.idle));
  }

  /**
   * A live runtime, or undefined when the pool is empty (the caller boots instead). The
   * pool refills when `coldStartOver` settles (or after `refillDelayMs`, whichever is first).
   */
  take(coldStartOver?: Promise<unknown>): T | undefined {
    this.prune();
    const entry = this.entries.shift();
    this.scheduleRefill(coldStartOver);
    return entry?.runtime;
  }

  /** How many runtimes are pooled now. */
  get available(): number {
    this.prune();
    return this.entries.length;
  }

  close(): void {
    this.closed = true;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    for (const entry of this.entries.splice(0)) this.hooks.dispose(entry.runtime);
  }

  private prune(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry && !this.hooks.isAlive(entry.runtime)) this.entries.splice(i, 1);
    }
  }

  private scheduleRefill(coldStartOver: Promise<unknown> | undefined): void {
    if (this.closed || this.refillPending) return;
    this.refillPending = true;
    const refill = (): void => {
      if (!this.refillPending) return;
      this.refillPending = false;
      clearTimeout(this.refillTimer);
      // A runtime that fails to start simply leaves the slot for the next refill.
      if (!this.closed) this.fill().catch(() => undefined);
    };
    this.refillTimer = setTimeout(refill, this.refillDelayMs);
    this.refillTimer.unref();
    const settled = (): void => {
      clearTimeout(this.refillTimer);
      this.refillTimer = setTimeout(refill, this.settleMs);
      this.refillTimer.unref();
    };
    coldStartOver?.then(settled, settled);
  }
}
