import { describe, expect, it } from 'vitest';
import { parseDurationUs, parseLookbackMs, formatDurationUs } from './format.js';
import { alignSeries, cdf } from './latency-cdf.js';

describe('cdf and alignSeries', () => {
  it('accumulates buckets to 1 and aligns runs on one x axis', () => {
    const a = cdf([
      { upperUs: 2000, count: 1 },
      { upperUs: 1000, count: 3 },
    ]);
    expect(a).toEqual({ xMs: [1, 2], y: [0.75, 1] });
    const b = cdf([{ upperUs: 1500, count: 2 }]);
    expect(alignSeries([a, b], true)).toEqual([
      [1, 1.5, 2],
      [0.75, 0.75, 1],
      [0, 1, 1],
    ]);
    expect(alignSeries([a, b], false)).toEqual([
      [1, 1.5, 2],
      [0.75, null, 1],
      [null, 1, null],
    ]);
  });
});

describe('format', () => {
  it.each([
    ['100ms', 100_000],
    ['1.5s', 1_500_000],
    ['250us', 250],
    ['42', 42],
    ['2m', 120_000_000],
    ['fast', undefined],
  ])('parseDurationUs(%s) = %s', (text, us) => expect(parseDurationUs(text)).toBe(us));

  it('parses lookbacks and formats durations', () => {
    expect(parseLookbackMs('15m')).toBe(900_000);
    expect(parseLookbackMs('2d')).toBe(172_800_000);
    expect(parseLookbackMs('soon')).toBeUndefined();
    expect([formatDurationUs(789), formatDurationUs(45_600), formatDurationUs(1_234_000)]).toEqual([
      '789μs',
      '45.6ms',
      '1.23s',
    ]);
  });
});
