/**
 * The pacer's worker thread: for each due time the owner has not yet handled, sleeps until
 * it (futex timeouts are precise to tens of µs, unlike the event loop's millisecond timers)
 * and posts its index, which wakes the owner's event loop. The owner wakes this thread only
 * to start and to stop it; this loop never returns to the event loop, so the schedule is
 * read with `receiveMessageOnPort`.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { CONTROL, STATE, type PacerSchedule, type PacerThreadData } from './pacer-protocol.js';

const data = workerData as PacerThreadData;
const control = new Int32Array(data.control);
// The owner's performance.now() = ours + (our origin - its origin).
const toOwnerClock = performance.timeOrigin - data.ownerTimeOrigin;
/** Wake the owner this long before each due time (it spins the rest; see thread-pacer.ts). */
const leadMs = data.leadMs;

// Tell the owner we are loaded (the 'online' event comes before this module has run).
parentPort!.postMessage('ready');
Atomics.wait(control, CONTROL.state, STATE.idle);
const message = receiveMessageOnPort(parentPort!)?.message as PacerSchedule | undefined;
const due = new Float64Array(message?.due ?? new SharedArrayBuffer(0));

let index = 0;
while (Atomics.load(control, CONTROL.state) === STATE.pacing) {
  index = Math.max(index, Atomics.load(control, CONTROL.next));
  if (index >= due.length) {
    Atomics.wait(control, CONTROL.state, STATE.pacing);
    continue;
  }
  const remaining = due[index]! - (performance.now() + toOwnerClock);
  if (remaining > leadMs) {
    Atomics.wait(control, CONTROL.state, STATE.pacing, remaining - leadMs);
  } else {
    parentPort!.postMessage(index);
    index++;
  }
}
