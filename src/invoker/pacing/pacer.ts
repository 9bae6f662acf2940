/**
 * A pacer wakes the runner when each planned send falls due. Two kinds (`auto` below
 * picks one by rate):
 * - `thread`: a worker thread holds the whole schedule, sleeps on a futex
 *   (`Atomics.wait`, µs timeouts) until the next due time and wakes the event loop with a
 *   message, `spinMs` early, and the loop spins the rest. The invoker's own thread sleeps between sends, so it neither burns a core nor
 *   allocates while waiting; the runner reports progress through shared memory, so the
 *   thread is never woken by the runner (a cross-CPU futex wake cost ~20 µs per send here);
 * - `spin`: `setTimeout` for the coarse wait, then `setImmediate` turns for the last
 *   `spinMs`. A few µs more precise when the machine has a core to spare, but it keeps one
 *   core busy and allocates ~200 MB/s of `Immediate`s.
 */
import { createSpinPacer } from './spin-pacer.js';
import { createThreadPacer } from './thread-pacer.js';

export type PacerKind = 'thread' | 'spin';

/**
 * `auto`: below one send per `AUTO_SPIN_BELOW_MS` on average the thread pacer (it saves
 * the cores the target under test needs: 0.33 against 1.0 core at 1 000/s here), above it
 * the spinning one: at such rates the thread pacer would spin nearly all the time too, and
 * its extra wake-ups made p99 lateness 2.2-2.6 ms at 10 000/s against 0.9 ms for the spin.
 */
export const AUTO_SPIN_BELOW_MS = 1;

/** The pacer `auto` picks for a schedule (offsets in ms, ascending). */
export function autoPacer(schedule: Float64Array): PacerKind {
  if (schedule.length < 2) return 'thread';
  const meanGapMs = (schedule[schedule.length - 1]! - schedule[0]!) / (schedule.length - 1);
  return meanGapMs < AUTO_SPIN_BELOW_MS ? 'spin' : 'thread';
}

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
  /** @default 'thread' */
  kind?: PacerKind;
  /**
   * Busy-yield (setImmediate turns) for the last `spinMs` before a due time.
   * @default 0.3 for `thread` (it wakes the loop that early), 1 for `spin` (setTimeout's
   * own lateness needs the margin)
   */
  spinMs?: number;
}

/** Resolves once the pacer is running (the thread pacer waits for its thread). */
export async function createPacer(options: PacerOptions = {}): Promise<Pacer> {
  if (options.kind === 'spin') return createSpinPacer(options.spinMs ?? 1);
  return createThreadPacer(options.spinMs ?? 0.3);
}
