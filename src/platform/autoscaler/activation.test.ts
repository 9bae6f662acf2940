import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_TIMEOUT_MS,
  applyScaleToZero,
  type Activation,
  type ActivationInput,
} from './activation.js';

const input = (overrides: Partial<ActivationInput>): ActivationInput => ({
  nowMs: 100_000,
  boundedDesired: 0,
  readyInstances: 1,
  currentDesired: 1,
  stableWindowMs: 60_000,
  scaleToZeroGracePeriodMs: 30_000,
  ...overrides,
});

describe('applyScaleToZero', () => {
  it.each<[string, Activation, Partial<ActivationInput>, number, Activation]>([
    // [case, previous phase, input, desired, next phase]
    [
      'a positive decision passes through',
      { phase: 'active', sinceMs: 0 },
      { boundedDesired: 3 },
      3,
      { phase: 'active', sinceMs: 0 },
    ],
    ['zero stays zero', { phase: 'zero' }, { currentDesired: 0, readyInstances: 0 }, 0, { phase: 'zero' }],
    [
      'a poke at zero is not undone',
      { phase: 'zero' },
      { currentDesired: 1, readyInstances: 0 },
      1,
      { phase: 'activating', sinceMs: 100_000 },
    ],
    [
      'a poke that is already ready starts the active clock',
      { phase: 'zero' },
      { currentDesired: 1 },
      1,
      { phase: 'active', sinceMs: 100_000 },
    ],
    [
      'activating becomes active when an instance is ready',
      { phase: 'activating', sinceMs: 90_000 },
      {},
      1,
      { phase: 'active', sinceMs: 100_000 },
    ],
    [
      'active for less than a stable window holds 1',
      { phase: 'active', sinceMs: 50_000 },
      {},
      1,
      { phase: 'active', sinceMs: 50_000 },
    ],
    [
      'active for a stable window turns inactive',
      { phase: 'active', sinceMs: 40_000 },
      {},
      1,
      { phase: 'inactive', sinceMs: 100_000 },
    ],
    [
      'inactive within the grace period holds 1',
      { phase: 'inactive', sinceMs: 70_001 },
      {},
      1,
      { phase: 'inactive', sinceMs: 70_001 },
    ],
    [
      'inactive for the grace period goes to zero',
      { phase: 'inactive', sinceMs: 70_000 },
      {},
      0,
      { phase: 'zero' },
    ],
    [
      'traffic while inactive makes it active again',
      { phase: 'inactive', sinceMs: 90_000 },
      { boundedDesired: 1 },
      1,
      { phase: 'active', sinceMs: 100_000 },
    ],
    [
      'zero grace period: inactive and zero on the same tick',
      { phase: 'active', sinceMs: 0 },
      { scaleToZeroGracePeriodMs: 0 },
      0,
      { phase: 'zero' },
    ],
    [
      'activation that never succeeds times out to zero, strictly after the timeout',
      { phase: 'activating', sinceMs: 99_999 - ACTIVATION_TIMEOUT_MS },
      { readyInstances: 0 },
      0,
      { phase: 'zero' },
    ],
    [
      "activation exactly at the timeout still holds 1 (Knative's CanFailActivation is > 0)",
      { phase: 'activating', sinceMs: 100_000 - ACTIVATION_TIMEOUT_MS },
      { readyInstances: 0 },
      1,
      { phase: 'activating', sinceMs: 100_000 - ACTIVATION_TIMEOUT_MS },
    ],
    [
      'activation within the timeout holds 1',
      { phase: 'activating', sinceMs: 100_001 - ACTIVATION_TIMEOUT_MS },
      { readyInstances: 0 },
      1,
      { phase: 'activating', sinceMs: 100_001 - ACTIVATION_TIMEOUT_MS },
    ],
  ])('%s', (_name, previous, overrides, desired, next) => {
    const result = applyScaleToZero(previous, input(overrides));
    expect(result.desired).toBe(desired);
    expect(result.activation).toEqual(next);
  });

  it("times out after Knative's progress deadline (600 s) + activationTimeoutBuffer (30 s)", () => {
    expect(ACTIVATION_TIMEOUT_MS).toBe(630_000);
  });

  it.each<[string, Activation, Partial<ActivationInput>]>([
    ['active past the stable window', { phase: 'active', sinceMs: 0 }, {}],
    ['inactive, traffic back', { phase: 'inactive', sinceMs: 0 }, { boundedDesired: 2 }],
    ['activating past the timeout', { phase: 'activating', sinceMs: 0 }, { nowMs: 700_000 }],
  ])('never mutates the previous phase: a change is a new object (%s)', (_, previous, overrides) => {
    const before = structuredClone(previous);
    const { activation } = applyScaleToZero(previous, input(overrides));
    expect(activation.phase).not.toBe(before.phase);
    expect(activation).not.toBe(previous);
    expect(previous).toEqual(before);
  });
});
