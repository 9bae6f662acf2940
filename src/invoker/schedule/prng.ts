/**
 * A small seedable PRNG, so a run's schedule (and a replay's sampled durations) is
 * repeatable with `--seed`. mulberry32: 32-bit state, period 2^32, good enough for
 * inter-arrival times and percentile sampling (not for cryptography).
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Returns a deterministic uniform [0, 1) generator for `seed` (any finite number). */
export function mulberry32(seed: number): Random {
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the clock, for runs without `--seed` (reported so they can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}
