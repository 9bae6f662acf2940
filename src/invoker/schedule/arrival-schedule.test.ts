import { describe, expect, it } from 'vitest';
import { minuteSchedule, rateSchedule } from './arrival-schedule.js';
import { sampleGaps } from './inter-arrival.js';
import { mulberry32 } from './prng.js';

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, variance: sq / values.length };
}

function gapsOf(times: Float64Array): Float64Array {
  const gaps = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
  return gaps;
}

describe('mulberry32', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('rateSchedule', () => {
  it('equidistant: exactly rps × time requests, first at 0, one every 1/rps', () => {
    const times = rateSchedule({ rps: 4, durationS: 10 }, mulberry32(1));
    expect(times.length).toBe(40);
    expect(times[0]).toBe(0);
    expect(times[1]).toBe(250);
    expect(times[39]).toBe(9750);
  });

  it('has no zero period above 1000 rps (vHive computed 1000/rps in integer ms)', () => {
    const times = rateSchedule({ rps: 2500, durationS: 1 }, mulberry32(1));
    expect(times.length).toBe(2500);
    for (const gap of gapsOf(times)) expect(gap).toBeCloseTo(0.4, 9);
  });

  it('handles fractional rates', () => {
    const times = rateSchedule({ rps: 0.5, durationS: 10 }, mulberry32(1));
    expect(Array.from(times)).toEqual([0, 2000, 4000, 6000, 8000]);
  });

  it('exponential: mean and variance of the gaps match a Poisson process', () => {
    const times = rateSchedule({ rps: 1000, durationS: 200, distribution: 'exponential' }, mulberry32(7));
    expect(Math.abs(times.length - 200_000) / 200_000).toBeLessThan(0.01);
    const { mean, variance } = moments(gapsOf(times));
    expect(mean).toBeCloseTo(1, 1);
    // Exponential: variance = mean².
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    let ascending = true;
    for (let i = 1; i < times.length; i++) ascending &&= times[i]! >= times[i - 1]!;
    expect(ascending).toBe(true);
    expect(times[times.length - 1]!).toBeLessThan(200_000);
  });

  it('uniform: gaps have mean m and variance m²/3', () => {
    const { mean, variance } = moments(sampleGaps('uniform', 100_000, 2, mulberry32(3)));
    expect(Math.abs(mean - 2)).toBeLessThan(0.02);
    expect(Math.abs(variance - 4 / 3)).toBeLessThan(0.03);
  });

  it('is repeatable with a seed', () => {
    const a = rateSchedule({ rps: 50, durationS: 5, distribution: 'exponential' }, mulberry32(9));
    const b = rateSchedule({ rps: 50, durationS: 5, distribution: 'exponential' }, mulberry32(9));
    const c = rateSchedule({ rps: 50, durationS: 5, distribution: 'exponential' }, mulberry32(10));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('minuteSchedule', () => {
  it('places exactly the per-minute counts inside each minute', () => {
    for (const distribution of ['equidistant', 'uniform', 'exponential'] as const) {
      const counts = [3, 0, 10, 1];
      const times = minuteSchedule(counts, { distribution }, mulberry32(5));
      expect(times.length).toBe(14);
      const perMinute = [0, 0, 0, 0];
      for (const t of times) perMinute[Math.floor(t / 60_000)]!++;
      expect(perMinute).toEqual(counts);
      for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
    }
  });

  it('scales the gaps so n arrivals fill the minute exactly (equidistant: 60/n s apart)', () => {
    const times = minuteSchedule([4], { distribution: 'equidistant' }, mulberry32(1));
    expect(Array.from(times)).toEqual([0, 15_000, 30_000, 45_000]);
  });

  it('exponential gaps of a busy minute average 60 s / n', () => {
    const times = minuteSchedule([6000], { distribution: 'exponential' }, mulberry32(11));
    const gaps = gapsOf(times);
    const { mean } = moments(gaps);
    // n - 1 gaps inside the minute plus one closing gap sum to 60 000 ms.
    expect(mean).toBeGreaterThan(9.9 * 0.98);
    expect(mean).toBeLessThan(10.1);
  });

  it('shift rotates each minute but keeps it inside its minute', () => {
    const plain = minuteSchedule([4, 4], { distribution: 'equidistant' }, mulberry32(2));
    const shifted = minuteSchedule([4, 4], { distribution: 'equidistant', shift: true }, mulberry32(2));
    expect(Array.from(shifted)).not.toEqual(Array.from(plain));
    const gaps = gapsOf(shifted.slice(0, 4));
    for (const g of gaps) expect(g).toBeCloseTo(15_000, 6);
    for (const t of shifted.slice(0, 4)) expect(t).toBeLessThan(60_000);
    for (const t of shifted.slice(4)) expect(t >= 60_000 && t < 120_000).toBe(true);
  });
});
