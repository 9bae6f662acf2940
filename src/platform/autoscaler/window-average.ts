/**
 * The observed stable and panic values the KPA scales on: averages of the 1-second samples
 * over the stable window and over the panic window.
 *
 * Follows Knative Serving's `TimedFloat64Buckets.WindowAverage`
 * (pkg/autoscaler/aggregation/bucketing.go): a window of `ceil(window / 1 s)` one-second
 * buckets; when the first sample is younger than the window ("fewer samples than the
 * window") the average is taken over the partial window that has data, and a window with
 * no sample at all is "no data" (Knative's `ErrNoData`, which makes the autoscaler keep the
 * current scale).
 *
 * One deliberate difference: Knative keys buckets by truncated wall-clock second, so a
 * timer that drifts across a second boundary leaves an empty bucket that counts as zero.
 * The platform records exactly one sample per second, each covering the time since the
 * previous one, so here each sample is its own bucket and the average is over the samples
 * inside the window. With one sample a second the two agree.
 */
import type { MetricSample } from './scaling-policy.js';

/** Which value of a sample the policy scales on. */
export type ScalingMetric = 'concurrency' | 'rps';

/** Knative's metric bucket size (`BucketSize = scrapeTickInterval = 1 s`). */
export const BUCKET_MS = 1000;

export interface ObservedValues {
  /** Average over the stable window. */
  stable: number;
  /** Average over the panic window. */
  panic: number;
  /** Samples inside the stable window. */
  stableSamples: number;
}

/** The window in ms rounded up to whole buckets, as Knative's `ceil(window / granularity)`. */
export function bucketedWindowMs(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / BUCKET_MS)) * BUCKET_MS;
}

/** Knative's panic window: `stableWindow × panicWindowPercentage / 100` (resources/metric.go). */
export function panicWindowMs(stableWindowMs: number, panicWindowPercentage: number): number {
  return (stableWindowMs * panicWindowPercentage) / 100;
}

/** The value of one sample for the chosen metric: in-flight concurrency, or arrivals per second. */
export function sampleValue(sample: MetricSample, metric: ScalingMetric): number {
  return metric === 'rps' ? sample.requests : sample.concurrency;
}

/**
 * Average of the samples with `nowMs - windowMs < timeMs <= nowMs`, or `undefined` when the
 * window holds none.
 */
export function windowAverage(
  samples: readonly MetricSample[],
  nowMs: number,
  windowMs: number,
  metric: ScalingMetric,
): number | undefined {
  const fromMs = nowMs - bucketedWindowMs(windowMs);
  let sum = 0;
  let count = 0;
  for (const sample of samples) {
    if (sample.timeMs > fromMs && sample.timeMs <= nowMs) {
      sum += sampleValue(sample, metric);
      count += 1;
    }
  }
  return count === 0 ? undefined : sum / count;
}

/**
 * Stable and panic averages in one pass, or `undefined` when the stable window holds no
 * sample (no data). The panic window lies inside the stable one; when it happens to hold no
 * sample (a gap in the last seconds) nothing is known about a recent burst, so it is 0.
 */
export function observeWindows(
  samples: readonly MetricSample[],
  nowMs: number,
  stableWindowMs: number,
  panicWindowPercentage: number,
  metric: ScalingMetric,
): ObservedValues | undefined {
  const stableFromMs = nowMs - bucketedWindowMs(stableWindowMs);
  const panicFromMs = nowMs - bucketedWindowMs(panicWindowMs(stableWindowMs, panicWindowPercentage));
  let stableSum = 0;
  let stableCount = 0;
  let panicSum = 0;
  let panicCount = 0;
  for (const sample of samples) {
    if (sample.timeMs > nowMs || sample.timeMs <= stableFromMs) continue;
    const value = sampleValue(sample, metric);
    stableSum += value;
    stableCount += 1;
    if (sample.timeMs > panicFromMs) {
      panicSum += value;
      panicCount += 1;
    }
  }
  if (stableCount === 0) return undefined;
  return {
    stable: stableSum / stableCount,
    panic: panicCount === 0 ? 0 : panicSum / panicCount,
    stableSamples: stableCount,
  };
}
