/**
 * A small pool of generic runtimes started ahead of demand (as Fission's pool manager and
 * OpenWhisk's stem cells): a launch takes one and specialises it; the pool refills in the
 * background, a little later, so the refill does not compete for CPU with the instance
 * being specialised.
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
  private closed = false;

  /**
   * @param size runtimes kept ready. @default 1 (set by the driver)
   * @param refillDelayMs wait after a take before starting the replacement.
   */
  constructor(
    private readonly hooks: PoolHooks<T>,
    private readonly size: number,
    private readonly refillDelayMs = 20,
  ) {}

  /** Starts runtimes until the pool is full; resolves when all of them are idle. */
  async fill(): Promise<void> {
    this.prune();
    while (!this.closed && this.entries.length < this.size) this.entries.push(this.hooks.start());
    await Promise.all(this.entries.map((e) => e.idle));
  }

  /** A live runtime, or undefined when the pool is empty (the caller boots instead). */
  take(): T | undefined {
    this.prune();
    const entry = this.entries.shift();
    this.scheduleRefill();
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

  private scheduleRefill(): void {
    if (this.closed || this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      // A runtime that fails to start simply leaves the slot for the next refill.
      this.fill().catch(() => undefined);
    }, this.refillDelayMs);
    this.refillTimer.unref();
  }
}
