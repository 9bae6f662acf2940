import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import type { AutoscalingSettings } from '../function-spec/function-spec.js';
import { createFixedPolicy } from './examples/fixed-policy.js';
import { kpaPolicy } from './kpa-policy.js';
import type { LoadPoint } from './load-profile.js';
import { compareScaling, simulateScaling } from './simulate.js';
import { defaultAutoscaling } from '../function-spec/default-autoscaling.js';

const settings = (overrides: Partial<AutoscalingSettings> = {}): AutoscalingSettings => ({
  ...defaultAutoscaling(0),
  policy: 'kpa',
  target: 10,
  ...overrides,
});

// Step load: nothing for 10 s, 35 in flight for 120 s, then nothing until 300 s.
//   conc 35 |      ┌────────────┐
//         0 |──────┘            └──────────────
//           0     10           130           300 s
const step: LoadPoint[] = [
  { timeMs: 0, concurrency: 0 },
  { timeMs: 10_000, concurrency: 35 },
  { timeMs: 130_000, concurrency: 0 },
  { timeMs: 300_000, concurrency: 0 },
];

describe('simulateScaling', () => {
  it('KPA vs a fixed policy on a step load', () => {
    const kpa = simulateScaling(kpaPolicy, settings(), step, { coldStartMs: 500 });
    const fixed = simulateScaling(createFixedPolicy(5), settings(), step, { coldStartMs: 500 });
    const at = (r: typeof kpa, s: number) => r.steps.find((x) => x.timeMs === s * 1000)!;

    // KPA: panics on the step (the panic window sees it first: 2 of 6 s at 35 → 2 instances,
    // 2 / 1 ready ≥ 200 %), reaches ceil(35 / 7) = 5 within two more ticks, then after the
    // load ends decays with the stable average to 1, and goes to zero a stable window plus
    // the grace period after the load ended (130 + 60 + 30 s).
    expect(at(kpa, 12)).toMatchObject({ panic: true, desired: 2 });
    expect(at(kpa, 14)).toMatchObject({ panic: true, desired: 4 });
    expect(at(kpa, 16)).toMatchObject({ panic: true, desired: 5 });
    expect(at(kpa, 100).desired).toBe(5);
    expect(at(kpa, 100).ready).toBe(5);
    expect(at(kpa, 200).desired).toBe(1);
    expect(at(kpa, 218).desired).toBe(1);
    expect(at(kpa, 220).desired).toBe(0);
    expect(kpa.summary.maxDesired).toBe(5);

    // Fixed: 5 all along (1 at deployment, corrected at the first tick), never zero.
    expect(fixed.steps.filter((s) => s.timeMs >= 2000).every((s) => s.desired === 5)).toBe(true);
    expect(fixed.summary.coldStarts).toBe(5);
    expect(fixed.summary.underProvisionedMs).toBe(0);
    // The comparison a researcher wants: KPA costs less but queues during the step.
    expect(kpa.summary.instanceSeconds).toBeLessThan(fixed.summary.instanceSeconds);
    expect(kpa.summary.underProvisionedMs).toBeGreaterThan(0);
  });

  it('compares several policies on the same load profile', () => {
    const rows = compareScaling([kpaPolicy, createFixedPolicy(5), createFixedPolicy(1)], settings(), step, {
      coldStartMs: 500,
    });
    expect(rows.map((r) => r.policy)).toEqual(['kpa', 'fixed-5', 'fixed-1']);
    // One instance for a load of 35 at target 10: under-provisioned for the whole step.
    expect(rows[2]!.summary.underProvisionedMs).toBe(120_000);
    expect(rows[1]!.summary.instanceSeconds).toBeGreaterThan(rows[2]!.summary.instanceSeconds);
  });

  it('instances become ready after the cold-start delay', () => {
    const r = simulateScaling(kpaPolicy, settings(), step, { coldStartMs: 3000 });
    // Asked for: +1 at 12 s, +2 at 14 s, +1 at 16 s; each ready 3 s later.
    const at = (s: number) => r.steps.find((x) => x.timeMs === s * 1000)!;
    expect(at(14)).toMatchObject({ desired: 4, ready: 1, starting: 3 });
    expect(at(16)).toMatchObject({ desired: 5, ready: 2, starting: 3 });
    expect(at(18)).toMatchObject({ desired: 5, ready: 4, starting: 1 });
    expect(at(19)).toMatchObject({ desired: 5, ready: 5, starting: 0 });
  });

  it('scales from zero at once when load arrives (the activator) and waits for the cold start', () => {
    const profile: LoadPoint[] = [
      { timeMs: 0, concurrency: 0 },
      { timeMs: 20_500, concurrency: 1 },
      { timeMs: 40_000, concurrency: 1 },
    ];
    const r = simulateScaling(kpaPolicy, settings({ initialScale: 0 }), profile, { coldStartMs: 800 });
    expect(r.steps.find((x) => x.timeMs === 20_000)!.desired).toBe(0);
    expect(r.steps.find((x) => x.timeMs === 21_000)!).toMatchObject({ desired: 1, ready: 0, starting: 1 });
    expect(r.steps.find((x) => x.timeMs === 22_000)!).toMatchObject({ desired: 1, ready: 1 });
    expect(r.summary.coldStarts).toBe(1);
    expect(r.summary.waitingForColdStartMs).toBe(800);

    const noPoke = simulateScaling(kpaPolicy, settings({ initialScale: 0 }), profile, {
      coldStartMs: 800,
      poke: false,
    });
    // Without the activator the next tick (22 s) sees the load: 1.5 s more waiting.
    expect(noPoke.summary.waitingForColdStartMs).toBe(2300);
  });

  it('scales on the rps of the load profile with the rps metric', () => {
    const profile: LoadPoint[] = [
      { timeMs: 0, concurrency: 1, rps: 70 },
      { timeMs: 60_000, concurrency: 1, rps: 70 },
    ];
    const r = simulateScaling(kpaPolicy, settings({ metric: 'rps' }), profile);
    expect(r.steps.at(-1)!.desired).toBe(10);
  });

  it('ticks on the tick interval even when it is shorter than the sample interval', () => {
    const r = simulateScaling(createFixedPolicy(2), settings({ tickIntervalMs: 500 }), step, {
      endMs: 3000,
      sampleIntervalMs: 1000,
      coldStartMs: 400,
    });
    // Deployment starts 1; the first tick at 500 ms asks for 2, ready at 900 ms.
    expect(r.steps.find((x) => x.timeMs === 1000)).toMatchObject({ desired: 2, ready: 2 });
  });

  it('refuses a bad load profile or bad options with a UserError', () => {
    expect(() => simulateScaling(kpaPolicy, settings(), [])).toThrow(UserError);
    expect(() => simulateScaling(kpaPolicy, settings(), step, { coldStartMs: -1 })).toThrow(/coldStartMs/);
    expect(() => simulateScaling(kpaPolicy, settings(), step, { resolutionMs: 0 })).toThrow(/resolutionMs/);
  });
});
