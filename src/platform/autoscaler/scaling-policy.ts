/**
 * The autoscaler port: a pure decision function called every tick. Knative's KPA is the
 * default policy; a researcher plugs in their own with `hivelab.dev/autoscaler: ./my-policy.js`
 * (a module whose default export is a `ScalingPolicy`).
 */
import type { AutoscalingSettings } from '../function-spec/function-spec.js';

/** One metric sample, taken every second by the platform. */
export interface MetricSample {
  timeMs: number;
  /** Average in-flight requests over the sample interval, buffered ones included. */
  concurrency: number;
  /** Requests that arrived during the interval. */
  requests: number;
}

export interface ScalingInput {
  nowMs: number;
  settings: AutoscalingSettings;
  /** Instances that passed readiness. */
  readyInstances: number;
  /** The count the previous decision asked for. */
  currentDesired: number;
  /** Recent samples, oldest first, covering at least the stable window when available. */
  samples: readonly MetricSample[];
}

export interface ScalingDecision<S> {
  desired: number;
  state: S;
  /** True while the policy is in panic mode (reported in metrics and spans). */
  panic: boolean;
  /** Why, for logs: e.g. "stable: 3.2 / (1 × 0.7) → 5". */
  reason: string;
}

export interface ScalingPolicy<S = unknown> {
  readonly name: string;
  initialState(settings: AutoscalingSettings, nowMs: number): S;
  decide(input: ScalingInput, state: S): ScalingDecision<S>;
}
