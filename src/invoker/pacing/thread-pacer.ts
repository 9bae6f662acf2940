/**
 * The thread pacer: the runner publishes its next due time in shared memory; a worker
 * thread (`pacer-thread.ts`) sleeps on a futex until then and posts a message, which wakes
 * the event loop from its poll. Stale wakes (for a due time that was replaced) are dropped
 * by generation number.
 */
import { Worker } from 'node:worker_threads';
import { distPath } from '../../package-root.js';
import type { Pacer } from './pacer.js';
import { CONTROL, STOP, type PacerThreadData } from './pacer-protocol.js';

export async function createThreadPacer(): Promise<Pacer> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.int32Slots * 4));
  const due = new Float64Array(new SharedArrayBuffer(8));
  due[0] = Infinity;
  const workerData: PacerThreadData = {
    control: control.buffer,
    due: due.buffer,
    ownerTimeOrigin: performance.timeOrigin,
  };
  const worker = new Worker(distPath('invoker', 'pacing', 'pacer-thread.js'), { workerData });
  let callback: (() => void) | undefined;
  let failure: Error | undefined;

  worker.on('message', (generation: number) => {
    if (generation !== Atomics.load(control, CONTROL.generation) || !callback) return;
    const wake = callback;
    callback = undefined;
    worker.unref();
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('online', resolve);
    worker.once('error', reject);
  });
  // Like a timer, the pacer keeps the process alive only while a wake is pending.
  worker.unref();
  worker.on('error', (error) => {
    failure = error;
    // The thread died: fall back to a plain timer so the run still ends (late, and the
    // lateness figures will say so) instead of hanging.
    if (callback) setTimeout(callback, Math.max(0, due[0]! - performance.now()));
    callback = undefined;
  });

  const publish = (atMs: number): void => {
    due[0] = atMs;
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
  };

  return {
    wakeAt(atMs, wake) {
      if (failure) {
        setTimeout(wake, Math.max(0, atMs - performance.now()));
        return;
      }
      if (!callback) worker.ref();
      callback = wake;
      publish(atMs);
    },
    close() {
      if (callback) worker.unref();
      callback = undefined;
      Atomics.store(control, CONTROL.generation, STOP);
      Atomics.notify(control, CONTROL.generation);
    },
  };
}
