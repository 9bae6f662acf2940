/**
 * Sampling a value from a few percentiles, as vHive's loader does for durations and
 * memory: draw a quantile u uniformly and interpolate linearly between the two known
 * percentiles around it (below the first known quantile, the first value).
 */
import type { Random } from '../schedule/prng.js';

/** `quantiles` ascending in [0, 1] with `values` non-decreasing, same length ≥ 1. */
export function interpolatePercentile(
  quantiles: readonly number[],
  values: readonly number[],
  u: number,
): number {
  if (u <= quantiles[0]!) return values[0]!;
  for (let i = 1; i < quantiles.length; i++) {
    const q1 = quantiles[i]!;
    if (u <= q1) {
      const q0 = quantiles[i - 1]!;
      const v0 = values[i - 1]!;
      const v1 = values[i]!;
      return q1 === q0 ? v1 : v0 + ((u - q0) / (q1 - q0)) * (v1 - v0);
    }
  }
  return values[values.length - 1]!;
}

export function samplePercentile(
  quantiles: readonly number[],
  values: readonly number[],
  random: Random,
): number {
  return interpolatePercentile(quantiles, values, random());
}
