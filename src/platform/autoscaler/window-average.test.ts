import { describe, expect, it } from 'vitest';
import { recordDelayed, type DelayEntry } from './scale-down-delay.js';
import { bucketedWindowMs, observeWindows, panicWindowMs, windowAverage } from './window-average.js';

const s = (timeMs: number, concurrency: number, requests = 0) => ({ timeMs, concurrency, requests });

describe('window averages', () => {
  it.each([
    [60_000, 60_000],
    [6000, 6000],
    [6500, 7000], // ceil to whole 1-s buckets, as Knative's ceil(window / granularity)
    [100, 1000],
  ])('bucketedWindowMs(%d) = %d', (window, expected) => {
    expect(bucketedWindowMs(window)).toBe(expected);
  });

  it.each([
    [60_000, 10, 6000],
    [60_000, 100, 60_000],
    [10_000, 25, 2500],
  ])('panic window of %d ms at %d %% = %d ms', (stable, pct, expected) => {
    expect(panicWindowMs(stable, pct)).toBe(expected);
  });

  it('covers (now - window, now]: the oldest edge is out, now is in, the future is out', () => {
    const samples = [s(4000, 100), s(5000, 1), s(6000, 3), s(7000, 1000)];
    expect(windowAverage(samples, 6000, 2000, 'concurrency')).toBe(2);
    expect(windowAverage(samples, 6000, 2000, 'rps')).toBe(0);
    expect(windowAverage(samples, 20_000, 2000, 'concurrency')).toBeUndefined();
  });

  it('reports no data when the stable window is empty, and a zero panic value when only it is', () => {
    expect(observeWindows([], 10_000, 60_000, 10, 'concurrency')).toBeUndefined();
    const observed = observeWindows([s(1000, 6)], 10_000, 60_000, 10, 'concurrency');
    expect(observed).toEqual({ stable: 6, panic: 0, stableSamples: 1 });
  });
});

describe('recordDelayed (scale-down delay)', () => {
  const run = (values: [number, number][], delayMs: number): number[] => {
    let window: readonly DelayEntry[] = [];
    return values.map(([tMs, v]) => {
      const r = recordDelayed(window, tMs, v, delayMs, 2000);
      window = r.window;
      return r.desired;
    });
  };

  it('returns the max over the last ceil(delay / tick) ticks', () => {
    //          t(s):  0  2  4  6  8  10
    const values: [number, number][] = [0, 2, 4, 6, 8, 10].map((t, i) => [t * 1000, i === 0 ? 5 : 1]);
    expect(run(values, 6000)).toEqual([5, 5, 5, 1, 1, 1]);
    expect(run(values, 5000)).toEqual([5, 5, 5, 1, 1, 1]); // ceil(5 / 2) = 3 buckets too
    expect(run(values, 2000)).toEqual([5, 1, 1, 1, 1, 1]);
  });

  it('keeps the larger of two values recorded in the same tick', () => {
    expect(
      run(
        [
          [2000, 4],
          [2500, 2],
          [3999, 3],
        ],
        2000,
      ),
    ).toEqual([4, 4, 4]);
  });

  it('stays bounded', () => {
    let window: readonly DelayEntry[] = [];
    for (let t = 0; t < 1_000_000; t += 2000) window = recordDelayed(window, t, t % 7, 10_000, 2000).window;
    expect(window.length).toBeLessThanOrEqual(5);
  });
});
