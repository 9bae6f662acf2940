/**
 * The thread pacer: the schedule's due times go to a worker thread (`pacer.worker.ts`) in
 * shared memory; it posts each index when due, and the runner reports how far it got with
 * a plain store (no wake-up), so wakes for sends already made are skipped by the thread or
 * dropped here.
 */
import { Worker } from 'node:worker_threads';
import { distPath } from '../../package-root.js';
import type { Pacer } from './pacer.js';
import { CONTROL, STATE, type PacerSchedule, type PacerThreadData } from './pacer-protocol.js';

/** Starts the thread (tens of ms), so that `pace` can begin at once. */
export async function createThreadPacer(spinMs: number): Promise<Pacer> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.int32Slots * 4));
  const workerData: PacerThreadData = {
    control: control.buffer,
    ownerTimeOrigin: performance.timeOrigin,
    leadMs: spinMs,
  };
  // No inherited execArgv: flags such as --input-type would make the thread fail to load.
  const worker = new Worker(distPath('invoker', 'pacing', 'pacer.worker.js'), { workerData, execArgv: [] });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve()); // 'ready': the thread's module has loaded
    worker.once('error', reject);
  });
  // Like a timer, the pacer keeps the process alive only while wakes are pending.
  worker.unref();
  let onDue: (() => void) | undefined;
  let due: Float64Array = new Float64Array(0);
  let dueCount = 0;
  /** The highest index the thread woke us for, and whether a spin turn is queued. */
  let woken = -1;
  let spinning = false;
  let fallback: NodeJS.Timeout | undefined;

  const setState = (state: number): void => {
    Atomics.store(control, CONTROL.state, state);
    Atomics.notify(control, CONTROL.state);
  };
  const stop = (): void => {
    onDue = undefined;
    if (fallback) clearTimeout(fallback);
    setState(STATE.stopped);
    worker.unref();
  };

  // Woken `spinMs` early: the last stretch is spent in setImmediate turns (responses are
  // still read), because a sleeping thread woken right at the due time is late by however
  // long the kernel takes to run it, several ms when the cores are contended.
  const running = (): boolean => onDue !== undefined;
  /** The next due time to wake for: past what the runner handled and what we woke for. */
  let fired = -1;
  const cursor = (): number => Math.max(Atomics.load(control, CONTROL.next), fired + 1);
  const spin = (): void => {
    spinning = false;
    if (!running() || woken < cursor()) return;
    const index = cursor();
    if (due[index]! <= performance.now()) {
      fired = index; // one wake per due time, even if the runner does not advance
      onDue!();
    }
    if (running() && woken >= cursor()) {
      spinning = true;
      setImmediate(spin);
    }
  };
  worker.on('message', (index: number) => {
    if (typeof index !== 'number') return;
    // The last wake came: nothing pending keeps the process alive any more.
    if (index === dueCount - 1) worker.unref();
    woken = Math.max(woken, index);
    if (!spinning) spin();
  });

  return {
    pace(dueMs, callback) {
      const schedule: PacerSchedule = { due: new SharedArrayBuffer(dueMs.length * 8) };
      new Float64Array(schedule.due).set(dueMs);
      due = dueMs;
      dueCount = dueMs.length;
      onDue = callback;
      worker.ref();
      worker.postMessage(schedule);
      setState(STATE.pacing);
      worker.once('error', (error) => {
        // The thread died: finish on plain timers (late, and the lateness figures will say
        // so) rather than hang the run.
        process.emitWarning(`invoker pacer thread failed, falling back to timers: ${error.message}`);
        const tick = (): void => {
          const next = Atomics.load(control, CONTROL.next);
          if (!onDue || next >= dueCount) return;
          if (dueMs[next]! <= performance.now()) onDue();
          const after = Atomics.load(control, CONTROL.next);
          if (after < dueCount) fallback = setTimeout(tick, Math.max(0, dueMs[after]! - performance.now()));
        };
        tick();
      });
    },
    advance(next) {
      Atomics.store(control, CONTROL.next, next);
      if (onDue && next >= dueCount) stop();
    },
    close: stop,
  };
}
