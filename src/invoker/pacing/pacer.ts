/**
 * A pacer wakes the runner when each planned send falls due. Two kinds:
 * - `spin` (default): `setTimeout` for the coarse wait, then `setImmediate` turns for the
 *   last `spinMs`, which keeps the CPU awake and the timing tight; but from ~500 sends/s on
 *   it takes a whole core (one the target under test may need on a small machine) and
 *   allocates ~200 MB/s of `Immediate`s;
 * - `thread`: a worker thread holds the whole schedule, sleeps on a futex (`Atomics.wait`,
 *   µs timeouts) and wakes the event loop with a message `spinMs` before each due time;
 *   the loop spins the rest. The runner reports progress through shared memory, so it never
 *   wakes the thread (a cross-CPU futex wake cost ~20 µs per send here). A third of the CPU
 *   of `spin` at 1 000/s, but only as punctual as the (virtual) CPU's wake-up.
 *
 * Measured on an idle 2-core VM, p99 send lateness thread / spin: 1.32 / 0.48 ms at 200/s,
 * 1.11 / 0.36 at 500/s, 0.22-1.04 / 0.15-0.26 at 1 000/s (0.33 / 1.0 core), 0.89-1.5 /
 * 0.71-0.90 at 10 000/s, 5.8 / 0.85 at 15 000/s.
 */
export type PacerKind = 'thread' | 'spin';

export interface Pacer {
  /**
   * Calls `onDue` at (or just after) each of `dueMs` (ascending, this thread's
   * `performance.now()` ms) that `advance` has not passed by then. Once per pacer.
   */
  pace(dueMs: Float64Array, onDue: () => void): void;
  /** The sends before index `next` are done: their due times need no wake. */
  advance(next: number): void;
  /** Stops the pacer; no wake after this. */
  close(): void;
}

export interface PacerOptions {
  /** @default 'spin' */
  kind?: PacerKind;
  /**
   * Busy-yield (setImmediate turns) for the last `spinMs` before a due time.
   * @default 0.3 for `thread` (it wakes the loop that early), 1 for `spin` (setTimeout's
   * own lateness needs the margin)
   */
  spinMs?: number;
}
