import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors.js';
import type { AutoscalingSettings } from '../../function-spec/function-spec.js';
import fixedPolicy, { FIXED_SCALE_ENV, createFixedPolicy, parseFixedScale } from './fixed-policy.js';
import { defaultAutoscaling } from '../../function-spec/default-autoscaling.js';

const settings = (overrides: Partial<AutoscalingSettings> = {}): AutoscalingSettings => ({
  ...defaultAutoscaling(0),
  policy: 'fixed',
  target: 10,
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
