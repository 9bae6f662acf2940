/**
 * The spinning pacer: `setTimeout` does the coarse wait (it fires up to a millisecond or
 * more late), and the last `spinMs` are spent yielding with `setImmediate`, which still
 * lets responses be processed (a pure busy-wait would starve the event loop).
 */
import type { Pacer } from './pacer.js';

export function createSpinPacer(spinMs: number): Pacer {
  let target = Infinity;
  let callback: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const check = (): void => {
    timer = undefined;
    immediate = undefined;
    if (!callback) return;
    const remaining = target - performance.now();
    if (remaining <= 0) {
      const wake = callback;
      callback = undefined;
      wake();
    } else if (remaining > spinMs + 1) timer = setTimeout(check, remaining - spinMs);
    else immediate = setImmediate(check);
  };

  const cancel = (): void => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
  };

  return {
    wakeAt(atMs, wake) {
      cancel();
      target = atMs;
      callback = wake;
      check();
    },
    close() {
      cancel();
      callback = undefined;
    },
  };
}
