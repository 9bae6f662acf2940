/**
 * Request deadlines on one coarse interval instead of a `setTimeout` + `clearTimeout` per
 * request: the gateway arms a deadline for every request and almost never lets one fire,
 * so arming and cancelling must cost next to nothing. Deadlines sit in buckets of
 * `resolutionMs` (a `Set` per bucket: O(1) add and cancel); one interval sweeps the buckets
 * that fell due. A deadline fires at most `resolutionMs` (plus timer lateness) after it is due.
 */

/** An armed deadline; `cancel` is idempotent and a no-op once it fired. */
export interface Deadline {
  cancel(): void;
}

export interface DeadlineTimerOptions {
  /** Bucket width and sweep period. @default 10 */
  resolutionMs?: number;
  /** Monotonic clock, ms. @default performance.now */
  now?: () => number;
  /**
   * Starts the periodic sweep; returns a stop function. Tests pass a fake to sweep by hand.
   * @default an unref'd `setInterval` (the server, not a deadline, keeps the process alive)
   */
  schedule?: (sweep: () => void, periodMs: number) => () => void;
}

/** Sweeps this many empty periods before the interval stops (it restarts on the next add). */
const IDLE_SWEEPS_BEFORE_STOP = 100;

function intervalSchedule(sweep: () => void, periodMs: number): () => void {
  const timer = setInterval(sweep, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}

export class DeadlineTimer {
  private readonly resolutionMs: number;
  private readonly now: () => number;
  private readonly schedule: (sweep: () => void, periodMs: number) => () => void;
  /** Bucket number (due time / resolution, rounded up) → callbacks due then. */
  private readonly buckets = new Map<number, Set<() => void>>();
  /** Every bucket up to this one has been swept. */
  private sweptUpTo: number;
  private stop: (() => void) | undefined;
  private idleSweeps = 0;
  private armed = 0;

  constructor(options: DeadlineTimerOptions = {}) {
    this.resolutionMs = options.resolutionMs ?? 10;
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? intervalSchedule;
    this.sweptUpTo = this.bucketOf(this.now()) - 1;
  }

  /** Deadlines armed and neither fired nor cancelled. */
  get size(): number {
    return this.armed;
  }

  /** Calls `onExpire` once, `timeoutMs` from now (rounded up to the resolution), unless cancelled. */
  add(timeoutMs: number, onExpire: () => void): Deadline {
    // Never into a bucket already swept: it would wait for a sweep that is over.
    const bucket = Math.max(this.bucketOf(this.now() + timeoutMs), this.sweptUpTo + 1);
    let entries = this.buckets.get(bucket);
    if (!entries) {
      entries = new Set();
      this.buckets.set(bucket, entries);
    }
    // A fresh closure per deadline: the same `onExpire` twice must stay two entries.
    const entry = (): void => onExpire();
    entries.add(entry);
    this.armed++;
    this.idleSweeps = 0;
    this.stop ??= this.schedule(() => this.sweep(), this.resolutionMs);
    const set = entries;
    return {
      cancel: () => {
        if (set.delete(entry)) this.armed--;
      },
    };
  }

  /** Fires every deadline due by now. Called by the interval; public for tests. */
  sweep(): void {
    const current = this.bucketOf(this.now());
    // After an idle stop the gap can be long: then walk the (few) buckets, not every period.
    const due =
      current - this.sweptUpTo > this.buckets.size
        ? [...this.buckets.keys()].filter((b) => b <= current).sort((a, b) => a - b)
        : Array.from({ length: Math.max(0, current - this.sweptUpTo) }, (_, i) => this.sweptUpTo + 1 + i);
    for (const bucket of due) {
      const entries = this.buckets.get(bucket);
      if (!entries) continue;
      this.buckets.delete(bucket);
      for (const entry of entries) {
        // Out of the set first, so a late `cancel` cannot count it twice.
        entries.delete(entry);
        this.armed--;
        entry();
      }
    }
    this.sweptUpTo = Math.max(this.sweptUpTo, current);
    if (this.armed > 0) this.idleSweeps = 0;
    else if (++this.idleSweeps >= IDLE_SWEEPS_BEFORE_STOP) this.close();
  }

  /** Stops the interval; armed deadlines stay and the next `add` restarts it. */
  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  private bucketOf(timeMs: number): number {
    return Math.ceil(timeMs / this.resolutionMs);
  }
}
