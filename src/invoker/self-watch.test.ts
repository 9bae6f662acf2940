import { describe, expect, it } from 'vitest';
import { invokerVerdict, watchSelf, type SelfUsage } from './self-watch.js';

const usage = (overrides: Partial<SelfUsage>): SelfUsage => ({
  cpuCores: 0.2,
  eventLoopUtilization: 0.3,
  eventLoopDelayP99Ms: 1,
  maxRssMb: 80,
  ...overrides,
});

describe('invokerVerdict', () => {
  it('is silent while sends are on time, however busy the invoker', () => {
    expect(invokerVerdict(900, usage({ cpuCores: 1 }))).toBeUndefined();
  });
  it('blames the invoker when late and saturating a core', () => {
    expect(invokerVerdict(5000, usage({ cpuCores: 0.97 }))).toMatch(
      /invoker was the bottleneck: p99 send lateness 5.00 ms with 97 %/,
    );
  });
  it('blames the machine when late with a delayed event loop but little CPU', () => {
    expect(invokerVerdict(5000, usage({ eventLoopDelayP99Ms: 40 }))).toMatch(/starved of CPU/);
  });
  it('blames nobody when late sends have another cause', () => {
    expect(invokerVerdict(5000, usage({}))).toBeUndefined();
  });
});

describe('watchSelf', () => {
  it('measures CPU spent and a blocked event loop', async () => {
    const stop = watchSelf();
    // Two 150 ms blocks with a timer turn between them: CPU and loop delay must show.
    for (let i = 0; i < 2; i++) {
      const until = performance.now() + 150;
      while (performance.now() < until);
      await new Promise((r) => setTimeout(r, 20));
    }
    const measured = stop();
    // Low bound: on a loaded machine the process may get only part of a core while it spins.
    expect(measured.cpuCores).toBeGreaterThan(0.05);
    expect(measured.eventLoopUtilization).toBeGreaterThan(0.3);
    expect(measured.eventLoopDelayP99Ms).toBeGreaterThan(50);
    expect(measured.maxRssMb).toBeGreaterThan(10);
  });
});
