/**
 * Waiting until a planned instant with sub-millisecond accuracy. `setTimeout` alone fires
 * up to a millisecond or more late, so it does the coarse wait and the last `spinMs` are
 * spent yielding with `setImmediate`, which still lets responses be processed (a pure
 * busy-wait would starve the event loop).
 */
import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';

/** Resolves at (or just after) `performance.now() >= targetMs`. */
export async function waitUntil(targetMs: number, spinMs = 1): Promise<void> {
  for (;;) {
    const remaining = targetMs - performance.now();
    if (remaining <= 0) return;
    if (remaining > spinMs + 1) await sleep(remaining - spinMs);
    else await immediate();
  }
}
