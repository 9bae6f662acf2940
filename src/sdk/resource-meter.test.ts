import { describe, expect, it } from 'vitest';
import { startMeter, type ProcessProbe } from './resource-meter.js';

/** A probe whose readings the test sets. */
function fakeProbe(): ProcessProbe & {
  set(values: Partial<Record<'now' | 'cpu' | 'rss' | 'maxRss', number>>): void;
} {
  const values = { now: 1000, cpu: 5_000, rss: 50 * 1024 * 1024, maxRss: 80 * 1024 };
  return {
    nowMs: () => values.now,
    cpuUs: () => values.cpu,
    rssBytes: () => values.rss,
    maxRssKb: () => values.maxRss,
    set: (next) => Object.assign(values, next),
  };
}

describe('startMeter', () => {
  it('reports CPU and wall deltas in ms and the RSS peak in KiB', () => {
    const probe = fakeProbe();
    const meter = startMeter(probe, 0);
    probe.set({ now: 1250, cpu: 105_000, rss: 60 * 1024 * 1024 });
    expect(meter.stop()).toEqual({ cpuMs: 100, execMs: 250, peakMemKb: 60 * 1024 });
  });

  it('takes the kernel maxRSS when it rose during the call (a peak sampling missed)', () => {
    const probe = fakeProbe();
    const meter = startMeter(probe, 0);
    probe.set({ maxRss: 200 * 1024, rss: 52 * 1024 * 1024 });
    expect(meter.stop().peakMemKb).toBe(200 * 1024);
  });

  it('ignores a lifetime maxRSS that was reached before the call', () => {
    const probe = fakeProbe();
    probe.set({ maxRss: 900 * 1024 });
    const meter = startMeter(probe, 0);
    expect(meter.stop().peakMemKb).toBe(50 * 1024);
  });

  it('samples RSS while an async call waits', async () => {
    const probe = fakeProbe();
    const meter = startMeter(probe, 1);
    meter.sampleWhileWaiting();
    probe.set({ rss: 300 * 1024 * 1024 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    probe.set({ rss: 40 * 1024 * 1024 });
    expect(meter.stop().peakMemKb).toBe(300 * 1024);
  });

  it('is idempotent', () => {
    const probe = fakeProbe();
    const meter = startMeter(probe, 0);
    const first = meter.stop();
    probe.set({ now: 99_999 });
    expect(meter.stop()).toBe(first);
  });
});
