/**
 * The spinning pacer: `setTimeout` does the coarse wait (it fires up to a millisecond or
 * more late), and the last `spinMs` are spent yielding with `setImmediate`, which still
 * lets responses be processed (a pure busy-wait would starve the event loop).
 */
import type { Pacer } from './pacer.js';

export function createSpinPacer(spinMs: number): Pacer {
  let due: Float64Array = new Float64Array(0);
  let next = 0;
  let onDue: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;

  const check = (): void => {
    timer = undefined;
    immediate = undefined;
    if (!onDue || next >= due.length) return;
    const remaining = due[next]! - performance.now();
    if (remaining <= 0) {
      next++; // a wake per due time, even if the runner does not advance
      onDue();
      if (!timer && !immediate) check();
    } else if (remaining > spinMs + 1) timer = setTimeout(check, remaining - spinMs);
    else immediate = setImmediate(check);
  };

  return {
    pace(dueMs, callback) {
      due = dueMs;
      onDue = callback;
      check();
    },
    advance(sentUpTo) {
      if (sentUpTo <= next) return;
      next = sentUpTo;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      check();
    },
    close() {
      onDue = undefined;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      timer = undefined;
      immediate = undefined;
    },
  };
}
