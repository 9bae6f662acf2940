import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors.js';
import type { AutoscalingSettings } from '../../spec/function-spec.js';
import fixedPolicy, { FIXED_SCALE_ENV, createFixedPolicy, parseFixedScale } from './fixed-policy.js';

const settings = (overrides: Partial<AutoscalingSettings> = {}): AutoscalingSettings => ({
  policy: 'fixed',
  metric: 'concurrency',
  target: 10,
  targetUtilization: 0.7,
  minScale: 0,
  maxScale: 0,
  initialScale: 1,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  scaleDownDelayMs: 0,
  scaleToZeroGracePeriodMs: 30_000,
  tickIntervalMs: 2000,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  ...overrides,
});

function decideUnder(policy: typeof fixedPolicy, s: AutoscalingSettings, concurrency: number): number {
  const state = policy.initialState(s, 0);
  return policy.decide(
    {
      nowMs: 5000,
      settings: s,
      readyInstances: 1,
      currentDesired: 1,
      samples: [{ timeMs: 5000, concurrency, requests: concurrency }],
    },
    state,
  ).desired;
}

afterEach(() => {
  delete process.env[FIXED_SCALE_ENV];
});

describe('fixed policy (example)', () => {
  it.each([0, 1, 100, 10_000])('ignores load: a fixed 3 under concurrency %d', (load) => {
    expect(decideUnder(createFixedPolicy(3), settings(), load)).toBe(3);
  });

  it('takes the count from HIVELAB_FIXED_SCALE, else from initial scale', () => {
    expect(decideUnder(fixedPolicy, settings({ initialScale: 2 }), 50)).toBe(2);
    process.env[FIXED_SCALE_ENV] = '4';
    expect(decideUnder(fixedPolicy, settings({ initialScale: 2 }), 50)).toBe(4);
  });

  it.each([
    // [count, minScale, maxScale, expected]
    [5, 0, 3, 3],
    [0, 2, 0, 2],
    [7, 1, 0, 7],
  ])('keeps %d within min %d / max %d → %d', (count, minScale, maxScale, expected) => {
    expect(decideUnder(createFixedPolicy(count), settings({ minScale, maxScale }), 1)).toBe(expected);
  });

  it.each(['-1', '2.5', 'three', ''])('refuses HIVELAB_FIXED_SCALE=%j with a UserError', (raw) => {
    expect(() => parseFixedScale(raw)).toThrow(UserError);
    process.env[FIXED_SCALE_ENV] = raw;
    expect(() => fixedPolicy.initialState(settings(), 0)).toThrow(
      /HIVELAB_FIXED_SCALE must be a non-negative integer/,
    );
  });
});
