import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { LoadProfile, type LoadPoint } from './load-profile.js';

//  conc  4 |        ┌────┐
//        2 |   ┌────┘    │
//        0 |───┘         └──────
//          0  1000 2000 3000 ms   (rps mirrors it × 10)
const profile: LoadPoint[] = [
  { timeMs: 1000, concurrency: 2, rps: 20 },
  { timeMs: 2000, concurrency: 4, rps: 40 },
  { timeMs: 3000, concurrency: 0 },
];

describe('LoadProfile', () => {
  const load = new LoadProfile(profile);

  it.each([
    [0, 0],
    [999, 0],
    [1000, 2],
    [1999, 2],
    [2000, 4],
    [3000, 0],
    [1e9, 0],
  ])('concurrencyAt(%d) = %d', (t, expected) => {
    expect(load.concurrencyAt(t)).toBe(expected);
  });

  it.each([
    [0, 1000, 0],
    [1000, 2000, 2],
    [500, 1500, 1],
    [1500, 2500, 3],
    [0, 4000, 1.5],
    [2500, 2500, 4], // empty interval: the value at that instant
  ])('averageConcurrency(%d, %d) = %d', (from, to, expected) => {
    expect(load.averageConcurrency(from, to)).toBeCloseTo(expected, 12);
  });

  it.each([
    [1000, 2000, 20],
    [1500, 2500, 30],
    [0, 5000, 60],
  ])('arrivals(%d, %d) = %d', (from, to, expected) => {
    expect(load.arrivals(from, to)).toBeCloseTo(expected, 9);
  });

  it('knows its span', () => {
    expect([load.startMs, load.endMs]).toEqual([1000, 3000]);
  });

  it.each<[LoadPoint[], RegExp]>([
    [[], /load profile is empty/],
    [[{ timeMs: 0, concurrency: -1 }], /load\[0\]\.concurrency/],
    [[{ timeMs: 0, concurrency: Infinity }], /load\[0\]\.concurrency/],
    [[{ timeMs: 0, concurrency: 1, rps: -2 }], /load\[0\]\.rps/],
    [
      [
        { timeMs: 5, concurrency: 1 },
        { timeMs: 1, concurrency: 1 },
      ],
      /load\[1\]\.timeMs goes back in time/,
    ],
    [[{ timeMs: Number.NaN, concurrency: 1 }], /load\[0\]\.timeMs/],
  ])('refuses a bad load profile (%#)', (bad, message) => {
    expect(() => new LoadProfile(bad)).toThrow(UserError);
    expect(() => new LoadProfile(bad)).toThrow(message);
  });
});
