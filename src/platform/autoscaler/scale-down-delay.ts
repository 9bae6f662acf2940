/**
 * Knative's scale-down delay: the decision is the maximum desired count seen over the last
 * `scaleDownDelay`, so a dip must last the whole delay before the count goes down.
 *
 * Follows pkg/autoscaler/aggregation/max/timewindow.go and window.go: buckets of one tick
 * (`index = floor(now / tick)`), `ceil(delay / tick)` buckets, several values in one bucket
 * keep the largest. Kept as a plain array in the policy state so the state stays a value.
 */

export interface DelayEntry {
  /** Tick index: `floor(timeMs / tickIntervalMs)`. */
  index: number;
  desired: number;
}

export interface DelayResult {
  /** The maximum over the window, the recorded value included. */
  desired: number;
  window: readonly DelayEntry[];
}

/** Records `desired` at `nowMs` and returns the max over the last `delayMs`. Never mutates `window`. */
export function recordDelayed(
  window: readonly DelayEntry[],
  nowMs: number,
  desired: number,
  delayMs: number,
  tickIntervalMs: number,
): DelayResult {
  const tickMs = Math.max(1, tickIntervalMs);
  const index = Math.floor(nowMs / tickMs);
  const buckets = Math.max(1, Math.ceil(delayMs / tickMs));
  const kept = window.filter((e) => index - e.index < buckets && e.index !== index);
  const sameBucket = window.find((e) => e.index === index);
  const value = sameBucket === undefined ? desired : Math.max(sameBucket.desired, desired);
  const next = [...kept, { index, desired: value }];
  return { desired: Math.max(...next.map((e) => e.desired)), window: next };
}
