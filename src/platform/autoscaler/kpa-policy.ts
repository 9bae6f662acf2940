/**
 * Knative's KPA as a pure `ScalingPolicy`: the decision of pkg/autoscaler/scaling/autoscaler.go
 * (`autoscaler.Scale`), followed by what the KPA reconciler does with it
 * (pkg/reconciler/autoscaling/kpa/scaler.go: initial scale, min/max bounds, scale to zero),
 * so the platform applies `desired` as is.
 */
import type { AutoscalingSettings } from '../function-spec/function-spec.js';
import { applyScaleToZero, type Activation, type ActivationResult } from './activation.js';
import { recordDelayed, type DelayEntry } from './scale-down-delay.js';
import type { ScalingDecision, ScalingInput, ScalingPolicy } from './scaling-policy.js';
import { observeWindows, type ObservedValues } from './window-average.js';

/** What the KPA remembers between ticks. A plain value: never mutated, safe to log or copy. */
export interface KpaState {
  /** Knative's `panicTime`: when the panic condition last held; `null` when not panicking. */
  panicTimeMs: number | null;
  /** Knative's `maxPanicPods`: in panic the count never goes below it. */
  maxPanicPods: number;
  /** The scale-down-delay window (empty when `scaleDownDelayMs` is 0). */
  delayWindow: readonly DelayEntry[];
  /** Scale-to-zero phase (Knative's PA Active condition and SKS proxy mode). */
  activation: Activation;
  /** Knative's `ScaleTargetInitialized`: initial scale was reached once; until then it is a floor. */
  initialized: boolean;
}

/** Knative's `autoscaling.TargetMin`: the per-instance target never drops below this. */
const TARGET_MIN = 0.01;

/** Knative's `applyBounds(min, max, x)`: max 0 means unlimited. */
function applyBounds(min: number, max: number, x: number): number {
  if (x < min) return min;
  if (max !== 0 && x > max) return max;
  return x;
}

/**
 * The instance count at deployment: initial scale raised to min scale and capped by max
 * scale, as Knative's reconciler bounds it. The platform starts this many before the first tick.
 */
export function initialDesired(settings: AutoscalingSettings): number {
  return applyBounds(
    Math.max(settings.minScale, settings.initialScale),
    settings.maxScale,
    settings.initialScale,
  );
}

/**
 * The lower bound the KPA reconciler applies (kpa/scaler.go `scale`): min scale, raised to an
 * initial scale above 1 until the scale target was initialized. Pure.
 */
export function reconcilerMinScale(settings: AutoscalingSettings, initialized: boolean): number {
  if (settings.initialScale > 1 && !initialized) return Math.max(settings.minScale, settings.initialScale);
  return settings.minScale;
}

/** Knative's `TargetValue`: target × utilization, never below `TargetMin`. */
export function targetValue(settings: AutoscalingSettings): number {
  return Math.max(TARGET_MIN, settings.target * settings.targetUtilization);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/** The panic part of `autoscaler.Scale`: returns the count and the new panic state. */
function panicStep(
  state: KpaState,
  nowMs: number,
  stableWindowMs: number,
  isOverPanicThreshold: boolean,
  desiredStable: number,
  desiredPanic: number,
): { desired: number; panicTimeMs: number | null; maxPanicPods: number } {
  let { panicTimeMs, maxPanicPods } = state;
  if (isOverPanicThreshold) {
    // Begin panicking, or extend the panic window while still over the threshold.
    panicTimeMs = nowMs;
  } else if (panicTimeMs !== null && panicTimeMs + stableWindowMs < nowMs) {
    // "Stop panicking after the surge has made its way into the stable metric."
    panicTimeMs = null;
    maxPanicPods = 0;
  }
  if (panicTimeMs === null) return { desired: desiredStable, panicTimeMs, maxPanicPods };
  // In panic: provision for the larger of the two, and never scale down.
  const desired = Math.max(desiredStable, desiredPanic, maxPanicPods);
  return { desired, panicTimeMs, maxPanicPods: desired };
}

/** What `autoscaler.Scale` computes in one tick, before the reconciler bounds it. */
interface ScaleStep {
  dspc: number;
  dppc: number;
  maxScaleUp: number;
  maxScaleDown: number;
  /** After panic mode, before the scale-down delay. */
  panicDesired: number;
  /** After the scale-down delay. */
  desired: number;
  panicTimeMs: number | null;
  maxPanicPods: number;
  delayWindow: readonly DelayEntry[];
}

/** Knative's `autoscaler.Scale` (pkg/autoscaler/scaling/autoscaler.go), given the window averages. */
function scaleStep(input: ScalingInput, state: KpaState, observed: ObservedValues): ScaleStep {
  const { nowMs, settings } = input;
  // "Use 1 if there are zero current pods."
  const readyPods = Math.max(1, input.readyInstances);
  const target = targetValue(settings);
  // Rate limits; the ceil lets a conservative scale-up rate still grow by one instance.
  const maxScaleUp = Math.ceil(settings.maxScaleUpRate * readyPods);
  const maxScaleDown = Math.floor(readyPods / settings.maxScaleDownRate);
  // Knative's arithmetic exactly, float noise included (7 / 0.7 = 10.000000000000002 → 11),
  // since researchers compare decisions against it.
  const dspc = Math.ceil(observed.stable / target);
  const dppc = Math.ceil(observed.panic / target);
  let desiredStable = Math.min(Math.max(dspc, maxScaleDown), maxScaleUp);
  let desiredPanic = Math.min(Math.max(dppc, maxScaleDown), maxScaleUp);
  // Activation scale: with load, never fewer than it (only when above 1, as Knative).
  const activationScale = settings.activationScale ?? 1;
  if (activationScale > 1) {
    if (dspc > 0 && activationScale > desiredStable) desiredStable = activationScale;
    if (dppc > 0 && activationScale > desiredPanic) desiredPanic = activationScale;
  }
  const isOverPanicThreshold = dppc / readyPods >= settings.panicThresholdPercentage / 100;
  const panic = panicStep(
    state,
    nowMs,
    settings.stableWindowMs,
    isOverPanicThreshold,
    desiredStable,
    desiredPanic,
  );
  // Scale-down delay: only with a delay configured, as Knative builds the window only then.
  const delayed =
    settings.scaleDownDelayMs > 0
      ? recordDelayed(
          state.delayWindow,
          nowMs,
          panic.desired,
          settings.scaleDownDelayMs,
          settings.tickIntervalMs,
        )
      : { desired: panic.desired, window: state.delayWindow };
  return {
    dspc,
    dppc,
    maxScaleUp,
    maxScaleDown,
    panicDesired: panic.desired,
    desired: delayed.desired,
    panicTimeMs: panic.panicTimeMs,
    maxPanicPods: panic.maxPanicPods,
    delayWindow: delayed.window,
  };
}

function reasonOf(
  input: ScalingInput,
  observed: ObservedValues,
  step: ScaleStep,
  bounded: number,
  zero: ActivationResult,
): string {
  const target = fmt(targetValue(input.settings));
  const parts = [
    `stable ${fmt(observed.stable)}/${target} → ${step.dspc}`,
    `panic ${fmt(observed.panic)}/${target} → ${step.dppc}`,
    `ready ${input.readyInstances}`,
    `rate [${step.maxScaleDown}, ${step.maxScaleUp}]`,
  ];
  if (step.panicTimeMs !== null) parts.push(`PANIC (max ${step.maxPanicPods})`);
  if (step.desired !== step.panicDesired) parts.push(`scale-down delay holds ${step.desired}`);
  if (bounded !== step.desired) parts.push(`bounds → ${bounded}`);
  if (zero.note !== undefined) parts.push(zero.note);
  return `${parts.join('; ')} ⇒ ${zero.desired}`;
}

function decide(input: ScalingInput, state: KpaState): ScalingDecision<KpaState> {
  const { nowMs, settings } = input;
  const observed = observeWindows(
    input.samples,
    nowMs,
    settings.stableWindowMs,
    settings.panicWindowPercentage,
    settings.metric,
  );
  if (observed === undefined) {
    // Knative: ErrNoData → invalid scale result → the current scale stays.
    return {
      desired: input.currentDesired,
      state,
      panic: state.panicTimeMs !== null,
      reason: `no data yet: keeping ${input.currentDesired}`,
    };
  }
  const step = scaleStep(input, state, observed);
  // The reconciler (kpa/scaler.go): an initial scale above 1 is a floor until it was reached
  // once (Knative ignores an initial scale of 0 or 1 here: a first instance that never gets
  // ready must not pin the count, or the activation timeout could never fire); then
  // min/max; then scale to zero.
  const minScale = reconcilerMinScale(settings, state.initialized);
  // Knative marks the scale target initialized after this tick's scale, once as many pods
  // are ready as its active threshold (max of min and initial scale) asks.
  const initialized =
    state.initialized || input.readyInstances >= Math.max(settings.minScale, settings.initialScale);
  const bounded = applyBounds(minScale, settings.maxScale, step.desired);
  const zero = applyScaleToZero(state.activation, {
    nowMs,
    boundedDesired: bounded,
    readyInstances: input.readyInstances,
    currentDesired: input.currentDesired,
    stableWindowMs: settings.stableWindowMs,
    scaleToZeroGracePeriodMs: settings.scaleToZeroGracePeriodMs,
  });
  return {
    desired: zero.desired,
    panic: step.panicTimeMs !== null,
    reason: reasonOf(input, observed, step, bounded, zero),
    state: {
      panicTimeMs: step.panicTimeMs,
      maxPanicPods: step.maxPanicPods,
      delayWindow: step.delayWindow,
      activation: zero.activation,
      initialized,
    },
  };
}

/**
 * Knative's Pod Autoscaler (KPA). `desired = ceil(observed / (target × utilization))` over
 * the stable and the panic windows, rate-limited, with panic mode, scale-down delay,
 * min/max/initial scale and scale to zero after a stable window plus the grace period.
 */
export const kpaPolicy: ScalingPolicy<KpaState> = {
  name: 'kpa',
  initialState(settings: AutoscalingSettings, nowMs: number): KpaState {
    return {
      panicTimeMs: null,
      maxPanicPods: 0,
      delayWindow: [],
      // The platform starts `initialDesired` instances at deployment: they are activating.
      activation: initialDesired(settings) > 0 ? { phase: 'activating', sinceMs: nowMs } : { phase: 'zero' },
      initialized: settings.initialScale === 0,
    };
  },
  decide,
};
