/** vSwarm's `tracing.Span("…")` blocks: a `traced()` span when `ENABLE_TRACING` is on, the bare function otherwise. */
import { traced } from '../../sdk/index.js';
import { tracingEnabled } from './function-args.js';

/** Wraps `fn` in a span named `name` when the instance's `ENABLE_TRACING` is "true". */
export function maybeTraced<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  return tracingEnabled(process.env) ? traced(name, fn) : fn;
}
