/**
 * An instance's output sink whose setup (the platform's log files: a folder, its
 * `instance.json`, pruning old instances) is moved off the launch's critical path. That
 * setup is synchronous disk work, 0.5-1.3 ms on this machine, and it ran on the platform's
 * thread between the request that found a function at zero and the launch: measured behind
 * the gateway on a prewarmed helloworld (p50 of 12, load ~1.5), the launch began 1.3 ms
 * later than it would have. A prewarmed runtime is told what to become within ~1 ms of the
 * launch and then specialises on its own core for ~3-4 ms, while the platform's thread
 * waits: the setup runs then (`delayMs` after the launch). It runs at once when output or
 * the end comes first, so no chunk is ever written before its files exist, and the logs of
 * an instance never miss a line.
 */
import type { InstanceOutput, OutputSink, SandboxExit } from './sandbox.js';

/** After a launch, the wait before the output's setup, unless output comes first. @default 2 */
export const OUTPUT_SETUP_DELAY_MS = 2;

/** `open` (the platform's `onOutput`) called at most once: on first use, or `delayMs` after this call. */
export function deferredOutput(
  open: () => InstanceOutput | undefined,
  delayMs: number = OUTPUT_SETUP_DELAY_MS,
): InstanceOutput & { write: OutputSink } {
  let output: InstanceOutput | undefined;
  let opened = false;
  const ensure = (): InstanceOutput | undefined => {
    if (!opened) {
      opened = true;
      clearTimeout(timer);
      output = open();
    }
    return output;
  };
  const timer = setTimeout(ensure, delayMs);
  // Never what keeps the host alive: an instance that outlives it has nothing to log.
  timer.unref();
  return {
    write: (container, stream, chunk) => ensure()?.write(container, stream, chunk),
    end: (exit: SandboxExit) => ensure()?.end(exit),
  };
}
