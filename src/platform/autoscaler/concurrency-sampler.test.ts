import { describe, expect, it } from 'vitest';
import { ConcurrencySampler } from './concurrency-sampler.js';

describe('ConcurrencySampler', () => {
  it('averages in-flight requests over time: 2 requests for half a second → 1.0', () => {
    const s = new ConcurrencySampler(0);
    s.requestStarted(0);
    s.requestStarted(0);
    s.requestFinished(500);
    s.requestFinished(500);
    expect(s.sample(1000)).toEqual({ timeMs: 1000, concurrency: 1, requests: 2 });
  });

  it.each([
    // [events as [timeMs, +1 start | -1 finish], expected concurrency over 0–1000 ms]
    [[], 0],
    [[[0, 1]], 1],
    [[[250, 1]], 0.75],
    [
      [
        [0, 1],
        [100, 1],
        [600, -1],
      ],
      1.5, // 1 × 100 + 2 × 500 + 1 × 400 = 1500 request·ms
    ],
    [
      [
        [200, 1],
        [300, -1],
        [400, 1],
        [500, -1],
      ],
      0.2,
    ],
  ] as [[number, number][], number][])('events %j → %d', (events, expected) => {
    const s = new ConcurrencySampler(0);
    for (const [t, kind] of events) {
      if (kind > 0) s.requestStarted(t);
      else s.requestFinished(t);
    }
    expect(s.sample(1000).concurrency).toBeCloseTo(expected, 12);
  });

  it('carries requests still in flight into the next interval, and counts arrivals per interval', () => {
    const s = new ConcurrencySampler(0);
    s.requestStarted(500);
    expect(s.sample(1000)).toEqual({ timeMs: 1000, concurrency: 0.5, requests: 1 });
    expect(s.sample(2000)).toEqual({ timeMs: 2000, concurrency: 1, requests: 0 });
    s.requestFinished(2250);
    expect(s.sample(3000)).toEqual({ timeMs: 3000, concurrency: 0.25, requests: 0 });
    expect(s.inFlight).toBe(0);
  });

  it('reports the instantaneous count for a zero-length interval and never goes negative', () => {
    const s = new ConcurrencySampler(1000);
    s.requestStarted(1000);
    s.requestStarted(1000);
    expect(s.sample(1000).concurrency).toBe(2);
    s.requestFinished(1000);
    s.requestFinished(1000);
    s.requestFinished(1000);
    expect(s.inFlight).toBe(0);
    expect(s.sample(2000).concurrency).toBe(0);
  });
});
