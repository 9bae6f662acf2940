/**
 * Arrival schedules: the planned send times of a run, computed before the run starts so
 * the runner is open-loop (arrivals never wait for responses). All times are offsets in
 * milliseconds from the start of the run, ascending. Pure: randomness comes in as `random`.
 */
import { sampleGap, sampleGaps, type IatDistribution } from './inter-arrival.js';
import type { Random } from './prng.js';

export interface RateScheduleOptions {
  /** Target requests per second (> 0). */
  rps: number;
  /** Run length in seconds (> 0). */
  durationS: number;
  /** @default 'equidistant' */
  distribution?: IatDistribution;
}

/**
 * A constant-rate schedule: the first request at 0 (as vHive's invoker does it), then one
 * gap after another while the time stays inside `[0, durationS)`. Equidistant runs issue
 * exactly `round(rps × durationS)` requests; computed as `i / rps` rather than by summing
 * gaps, so there is no drift and no zero period at any rate.
 */
export function rateSchedule(options: RateScheduleOptions, random: Random): Float64Array {
  const { rps, durationS } = options;
  const distribution = options.distribution ?? 'equidistant';
  const endMs = durationS * 1000;
  const meanGapMs = 1000 / rps;
  if (distribution === 'equidistant') {
    const count = Math.max(1, Math.round(rps * durationS));
    const times = new Float64Array(count);
    for (let i = 0; i < count; i++) times[i] = (i * 1000) / rps;
    return times;
  }
  const times: number[] = [0];
  let t = sampleGap(distribution, meanGapMs, random);
  while (t < endMs) {
    times.push(t);
    t += sampleGap(distribution, meanGapMs, random);
  }
  return Float64Array.from(times);
}

export interface MinuteScheduleOptions {
  /** @default 'exponential' */
  distribution?: IatDistribution;
  /**
   * Rotate each minute by a random offset (wrapping around), as vHive's loader's shift
   * variant does, so functions with equal counts do not all fire at the same instants.
   * @default false
   */
  shift?: boolean;
}

/**
 * The Azure-trace schedule of one function: `counts[m]` invocations in minute `m`, their
 * gaps drawn from the distribution and scaled so the gaps of a minute fill it exactly
 * (the n-th invocation of a minute lands at most at its end, the first at its start).
 */
export function minuteSchedule(
  counts: readonly number[],
  options: MinuteScheduleOptions,
  random: Random,
): Float64Array {
  const distribution = options.distribution ?? 'exponential';
  const minuteMs = 60_000;
  const total = counts.reduce((sum, n) => sum + n, 0);
  const out = new Float64Array(total);
  let k = 0;
  counts.forEach((n, minute) => {
    if (n <= 0) return;
    const base = minute * minuteMs;
    const inMinute = minuteOffsets(n, distribution, random);
    if (options.shift) {
      const rotation = random() * minuteMs;
      for (let i = 0; i < n; i++) inMinute[i] = (inMinute[i]! + rotation) % minuteMs;
      inMinute.sort();
    }
    for (let i = 0; i < n; i++) out[k++] = base + inMinute[i]!;
  });
  return out;
}

/**
 * `n` offsets in [0, 60 000) ms: the first at 0, then n - 1 gaps scaled so that they and
 * one more closing gap sum to the minute exactly (n gaps for n arrivals, wrapping to the
 * next minute like a periodic process).
 */
function minuteOffsets(n: number, distribution: IatDistribution, random: Random): Float64Array {
  const gaps = sampleGaps(distribution, n, 1, random);
  let sum = 0;
  for (const g of gaps) sum += g;
  // All-zero gaps are possible only in theory (uniform draws of exactly 0): spread evenly.
  const scale = sum > 0 ? 60_000 / sum : 0;
  const offsets = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = scale > 0 ? t : (i * 60_000) / n;
    t += gaps[i]! * scale;
  }
  return offsets;
}
