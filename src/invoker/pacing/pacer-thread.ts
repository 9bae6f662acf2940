/**
 * The pacer's worker thread: sleeps until the published due time (futex timeouts are
 * precise to tens of µs, unlike the event loop's millisecond timers), posts the
 * generation it woke for, then sleeps until a new due time is published.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, STOP, type PacerThreadData } from './pacer-protocol.js';

const data = workerData as PacerThreadData;
const control = new Int32Array(data.control);
const due = new Float64Array(data.due);
// The owner's performance.now() = ours + (our origin - its origin).
const toOwnerClock = performance.timeOrigin - data.ownerTimeOrigin;
/** Closer than this, sleeping again would overshoot: wake now. */
const WAKE_MARGIN_MS = 0.02;

for (;;) {
  const generation = Atomics.load(control, CONTROL.generation);
  if (generation === STOP) break;
  const remaining = due[0]! - (performance.now() + toOwnerClock);
  if (remaining === Infinity) {
    Atomics.wait(control, CONTROL.generation, generation);
  } else if (remaining > WAKE_MARGIN_MS) {
    Atomics.wait(control, CONTROL.generation, generation, remaining);
  } else {
    parentPort!.postMessage(generation);
    Atomics.wait(control, CONTROL.generation, generation);
  }
}
