import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from './latency-histogram.js';

describe('createLatencyHistogram', () => {
  it('never reports a percentile above the max or below the min', () => {
    // 100 values where the top one sits low in a wide bucket: HdrHistogram's p99 is the top
    // of that bucket (10 047 for 10 039 at 3 significant digits), above the largest value.
    const histogram = createLatencyHistogram();
    for (let i = 0; i < 99; i++) histogram.record(10_001 + (i % 3));
    histogram.record(10_039);
    const p = histogram.percentiles();
    expect(p.max).toBe(10_039);
    expect(p.min).toBe(10_001);
    for (const value of [p.p50, p.p90, p.p99, p.p999]) {
      expect(value).toBeLessThanOrEqual(p.max);
      expect(value).toBeGreaterThanOrEqual(p.min);
    }
    expect(p.p999).toBe(10_039);
  });

  it('reports one value as every percentile', () => {
    const histogram = createLatencyHistogram();
    histogram.record(123_457);
    const p = histogram.percentiles();
    expect([p.min, p.p50, p.p99, p.p999, p.max]).toEqual([123_457, 123_457, 123_457, 123_457, 123_457]);
  });
});
