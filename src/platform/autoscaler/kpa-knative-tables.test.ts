/**
 * Knative Serving's own test tables for the paths where hivelab's KPA used to differ, ported
 * row for row: pkg/autoscaler/scaling/autoscaler_test.go (TestAutoscalerActivationScale) and
 * pkg/reconciler/autoscaling/kpa/scaler_test.go (TestScaler: initial scale and the activation
 * timeout). Knative's "-1" (scale unknown: nothing applied) is hivelab's "keep the count".
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_TIMEOUT_MS, applyScaleToZero } from './activation.js';
import type { Activation } from './activation.js';
import { Harness, samples, settings } from './testing/kpa-harness.js';
import { reconcilerMinScale } from './kpa-policy.js';

describe('Knative TestAutoscalerActivationScale', () => {
  it('raises the desired count to activation-scale while there is load: 0, then 2', () => {
    // newTestAutoscalerNoPC(10, 75, …): TargetValue 10, no ready pods.
    const s = settings({ target: 10, targetUtilization: 1, activationScale: 2, initialScale: 0 });
    // No load for a minute, then concurrency 1: dspc = ceil(avg / 10) = 1 → activation scale 2.
    const h = new Harness(
      s,
      samples(600, (t) => (t <= 60 ? 0 : 1)),
    );
    expect(h.tick(60, 0).desired).toBe(0);
    expect(h.tick(62, 0).desired).toBe(2);
  });

  it('leaves an activation scale of 1 alone (only > 1 applies)', () => {
    const h = new Harness(
      settings({ target: 10, targetUtilization: 1, activationScale: 1, initialScale: 0 }),
      samples(60, () => 1),
    );
    expect(h.tick(60, 0).desired).toBe(1);
  });
});

describe('Knative TestScaler: initial scale', () => {
  it.each([
    // [label, initialScale, minScale, initialized, scaleTo, wantReplicas]
    ['haven’t scaled to initial scale, override desired scale with initial scale', 2, 0, false, 1, 2],
    ['initial scale reached for the first time (marked only after this scale)', 5, 0, false, 1, 5],
    ['initial scale attained: ignored from then on', 2, 0, true, 1, 1],
    ['an initial scale of 1 is never a floor', 1, 0, false, 0, 0],
    ['minScale above initial scale wins', 2, 3, false, 1, 3],
  ])('%s', (_label, initialScale, minScale, initialized, scaleTo, want) => {
    const min = reconcilerMinScale(settings({ initialScale, minScale }), initialized);
    expect(Math.max(min, scaleTo)).toBe(want);
  });

  it('a first instance that never gets ready is not held at 1 by initial scale 1: the activation timeout fires', () => {
    // initial scale 1, nothing ever ready, no load: Knative scales to zero once activation
    // has failed for longer than the progress deadline + 30 s.
    const h = new Harness(
      settings(),
      samples(700, () => 0),
    );
    const beforeTimeout = h.tick(600, 0);
    expect(beforeTimeout.desired).toBe(1);
    const after = h.tick(632, 0);
    expect(after.desired).toBe(0);
    expect(after.reason).toMatch(/activation timed out/);
  });
});

describe('Knative TestScaler: scale to zero while activating', () => {
  const nowMs = 10_000_000;
  const input = {
    nowMs,
    boundedDesired: 0,
    readyInstances: 0,
    currentDesired: 1,
    stableWindowMs: 60_000,
    scaleToZeroGracePeriodMs: 30_000,
  };
  it.each([
    ['waits to scale to zero while activating until after deadline exceeded', ACTIVATION_TIMEOUT_MS / 2, 1],
    ['scale to zero while activating after deadline exceeded', ACTIVATION_TIMEOUT_MS + 1000, 0],
  ])('%s', (_label, activatingForMs, want) => {
    const activating: Activation = { phase: 'activating', sinceMs: nowMs - activatingForMs };
    expect(applyScaleToZero(activating, input).desired).toBe(want);
  });

  it('initial scale attained, but now time to scale down: first deactivate and hold 1', () => {
    const active: Activation = { phase: 'active', sinceMs: nowMs - 120_000 };
    const result = applyScaleToZero(active, { ...input, readyInstances: 2, currentDesired: 2 });
    expect(result.desired).toBe(1);
    expect(result.activation.phase).toBe('inactive');
  });
});
