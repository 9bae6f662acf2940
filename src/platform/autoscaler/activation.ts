/**
 * Scale to zero, as Knative's KPA reconciler does it (pkg/reconciler/autoscaling/kpa/scaler.go,
 * `handleScaleToZero`), modelled as a pure state machine so the platform only obeys `desired`:
 *
 * - `activating`: asked for instances, none ready yet. A zero decision is not applied
 *   (Knative returns `scaleUnknown`), so the activator's poke is never undone, unless
 *   activation has failed for `ACTIVATION_TIMEOUT_MS` (then zero, as Knative does).
 * - `active` since the first ready instance. A zero decision before the PA has been active
 *   for a stable window scales to at most 1 ("sleeping additionally … before can scale to 0").
 * - `inactive` since the first zero decision after that (Knative marks the PA inactive and
 *   puts the activator in the path). One instance stays for the scale-to-zero grace period.
 * - `zero`: the grace period passed with only zero decisions; desired is 0 until the
 *   platform scales up (the poke), which this sees as `currentDesired > 0`.
 */

export type Activation =
  | { phase: 'zero' }
  | { phase: 'activating'; sinceMs: number }
  | { phase: 'active'; sinceMs: number }
  | { phase: 'inactive'; sinceMs: number };

/**
 * Knative's `activationTimeout`: the revision's progress deadline (600 s by default) plus
 * `activationTimeoutBuffer` (30 s). An instance that never becomes ready does not pin the
 * count at 1 forever: after strictly longer than this (`CanFailActivation`: `> 0`) it is zero.
 */
export const ACTIVATION_TIMEOUT_MS = 630_000;

export interface ActivationInput {
  nowMs: number;
  /** The scale decision after the min/max bounds. */
  boundedDesired: number;
  readyInstances: number;
  currentDesired: number;
  stableWindowMs: number;
  scaleToZeroGracePeriodMs: number;
}

export interface ActivationResult {
  desired: number;
  activation: Activation;
  /** Set when scale to zero held the count up, for the decision's reason. */
  note?: string;
}

/** Folds what happened outside the policy (a poke, an instance becoming ready) into the phase. */
function observe(activation: Activation, input: ActivationInput): Activation {
  if (activation.phase === 'zero' && input.currentDesired > 0) {
    // The platform scaled up from zero without waiting for a tick (the activator's poke).
    return { phase: input.readyInstances > 0 ? 'active' : 'activating', sinceMs: input.nowMs };
  }
  if (activation.phase === 'activating' && input.readyInstances > 0) {
    return { phase: 'active', sinceMs: input.nowMs };
  }
  return activation;
}

/** Applies Knative's scale-to-zero rules to one bounded decision. */
export function applyScaleToZero(previous: Activation, input: ActivationInput): ActivationResult {
  const activation = observe(previous, input);
  const { nowMs, boundedDesired } = input;
  if (boundedDesired > 0) {
    if (activation.phase === 'active' || activation.phase === 'activating') {
      return { desired: boundedDesired, activation };
    }
    // Traffic came back while inactive or at zero: Knative's Active condition turns True
    // again once a pod is ready, which restarts the "active for a stable window" clock.
    const phase = input.readyInstances > 0 ? 'active' : 'activating';
    return { desired: boundedDesired, activation: { phase, sinceMs: nowMs } };
  }
  switch (activation.phase) {
    case 'zero':
      return { desired: 0, activation };
    case 'activating':
      if (nowMs - activation.sinceMs > ACTIVATION_TIMEOUT_MS) {
        return { desired: 0, activation: { phase: 'zero' }, note: 'activation timed out: scale to zero' };
      }
      return { desired: 1, activation, note: 'activating: zero not applied' };
    case 'active': {
      const activeMs = nowMs - activation.sinceMs;
      if (activeMs < input.stableWindowMs) {
        return {
          desired: 1,
          activation,
          note: `active ${activeMs} ms < stable window: holding 1`,
        };
      }
      return graceOrZero({ phase: 'inactive', sinceMs: nowMs }, input);
    }
    case 'inactive':
      return graceOrZero(activation, input);
  }
}

function graceOrZero(
  inactive: { phase: 'inactive'; sinceMs: number },
  input: ActivationInput,
): ActivationResult {
  const inactiveMs = input.nowMs - inactive.sinceMs;
  if (inactiveMs >= input.scaleToZeroGracePeriodMs) {
    return { desired: 0, activation: { phase: 'zero' }, note: 'scale to zero after the grace period' };
  }
  return {
    desired: 1,
    activation: inactive,
    note: `inactive ${inactiveMs} ms < grace period: holding 1`,
  };
}
