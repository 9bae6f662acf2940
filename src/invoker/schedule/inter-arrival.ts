/**
 * Inter-arrival time (IAT) distributions, as pure functions of a `Random`.
 *
 * - `equidistant`: every gap equals the mean (vHive's invoker).
 * - `uniform`: gaps uniform in [0, 2 × mean], so the mean is kept.
 * - `exponential`: Poisson arrivals, gaps exponential with the given mean.
 */
import type { Random } from './prng.js';

export const IAT_DISTRIBUTIONS = ['equidistant', 'uniform', 'exponential'] as const;
export type IatDistribution = (typeof IAT_DISTRIBUTIONS)[number];

/** One gap, in the unit of `meanGap`. */
export function sampleGap(distribution: IatDistribution, meanGap: number, random: Random): number {
  switch (distribution) {
    case 'equidistant':
      return meanGap;
    case 'uniform':
      return 2 * meanGap * random();
    case 'exponential':
      // 1 - u lies in (0, 1], so the log is finite.
      return -meanGap * Math.log(1 - random());
  }
}

/** `count` gaps with mean `meanGap`. */
export function sampleGaps(
  distribution: IatDistribution,
  count: number,
  meanGap: number,
  random: Random,
): Float64Array {
  const gaps = new Float64Array(count);
  for (let i = 0; i < count; i++) gaps[i] = sampleGap(distribution, meanGap, random);
  return gaps;
}
