import { describe, expect, it } from 'vitest';
import { MetricWindow } from './metric-window.js';

const at = (timeMs: number, concurrency = 1) => ({ timeMs, concurrency, requests: 0 });

describe('MetricWindow', () => {
  it('keeps only the last maxAgeMs of samples, oldest first', () => {
    const w = new MetricWindow(3000);
    for (const t of [1000, 2000, 3000, 4000, 5000]) w.record(at(t));
    expect(w.samples(5000).map((s) => s.timeMs)).toEqual([3000, 4000, 5000]);
    expect(w.samples(6500).map((s) => s.timeMs)).toEqual([4000, 5000]);
    expect(w.samples(60_000)).toEqual([]);
  });

  it('evicts on record so memory stays bounded without reads', () => {
    const w = new MetricWindow(10_000);
    for (let t = 1000; t <= 1_000_000; t += 1000) w.record(at(t));
    expect(w.samples(1_000_000)).toHaveLength(10);
  });

  it('does not return samples newer than now, and keeps late samples in time order', () => {
    const w = new MetricWindow(60_000);
    w.record(at(1000));
    w.record(at(3000));
    w.record(at(2000, 5));
    expect(w.samples(2500).map((s) => s.timeMs)).toEqual([1000, 2000]);
    expect(w.samples(3000).map((s) => s.concurrency)).toEqual([1, 5, 1]);
  });

  it('returns a copy the caller cannot use to change the window', () => {
    const w = new MetricWindow(60_000);
    w.record(at(1000));
    const copy = w.samples(1000) as unknown as unknown[];
    copy.length = 0;
    expect(w.samples(1000)).toHaveLength(1);
  });

  it.each([0, -5, Number.NaN])('refuses maxAgeMs %d', (bad) => {
    expect(() => new MetricWindow(bad)).toThrow(/maxAgeMs/);
  });
});
