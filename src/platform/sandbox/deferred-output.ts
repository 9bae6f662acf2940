/**
 * An instance's output sink whose setup (the platform's log files: a folder, its
 * `instance.json`, pruning old instances) is moved off the cold start. That setup is
 * synchronous disk work, 0.5-1.3 ms on this machine, and it ran on the platform's thread
 * between the request that found a function at zero and the launch: measured behind the
 * gateway on a prewarmed helloworld (p50 of 12, load ~2), the launch began 1.0-1.7 ms
 * later than it would have. Run 2 ms after the launch (while the runtime specialises) it
 * still landed in the cold request on a loaded 2-core machine (p50 14.4 / 14.5 ms vs
 * 12.2 / 12.8 ms when run later); so it runs once the instance is ready and its first
 * request has had time to be answered (`settleMs`), and at once when output or the end
 * comes first: no chunk is written before its files exist, and no line is lost.
 */
import type { InstanceOutput, OutputSink, SandboxExit } from './sandbox.js';

/** After the instance got ready, the wait before the output's setup. @default 20 */
export const OUTPUT_SETTLE_MS = 20;

export interface DeferredOutput extends InstanceOutput {
  write: OutputSink;
  /** Sets the output up `settleMs` after `event` settles, unless output or the end did first. */
  openAfter(event: Promise<unknown>, settleMs?: number): void;
}

/** `open` (the platform's `onOutput`) called at most once: on first use, or after `openAfter`'s event. */
export function deferredOutput(open: () => InstanceOutput | undefined): DeferredOutput {
  let output: InstanceOutput | undefined;
  let opened = false;
  let timer: NodeJS.Timeout | undefined;
  const ensure = (): InstanceOutput | undefined => {
    if (!opened) {
      opened = true;
      clearTimeout(timer);
      output = open();
    }
    return output;
  };
  return {
    write: (container, stream, chunk) => ensure()?.write(container, stream, chunk),
    end: (exit: SandboxExit) => ensure()?.end(exit),
    openAfter(event, settleMs = OUTPUT_SETTLE_MS) {
      const later = (): void => {
        if (opened) return;
        timer = setTimeout(ensure, settleMs);
        // Never what keeps the host alive: an instance that outlives it has nothing to log.
        timer.unref();
      };
      event.then(later, later);
    },
  };
}
