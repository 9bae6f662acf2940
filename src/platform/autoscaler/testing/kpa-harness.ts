/**
 * Test support for the KPA's table-driven tests: Knative's default settings, 1-second
 * sample series, and a driver that calls the policy tick by tick as the platform does.
 * Plain code (no test framework), so both test files share it.
 */
import type { AutoscalingSettings } from '../../function-spec/function-spec.js';
import { defaultAutoscaling } from '../../function-spec/default-autoscaling.js';
import { initialDesired, kpaPolicy, type KpaState } from '../kpa-policy.js';
import type { MetricSample, ScalingDecision } from '../scaling-policy.js';

/** Knative's defaults (design.md), overridable per test. */
export function settings(overrides: Partial<AutoscalingSettings> = {}): AutoscalingSettings {
  return { ...defaultAutoscaling(0), ...overrides };
}

/** One sample a second at t = 1 s … `toS`, concurrency from `load(tSeconds)`. */
export function samples(
  toS: number,
  load: (tS: number) => number,
  rps: (tS: number) => number = () => 0,
): MetricSample[] {
  return Array.from({ length: toS }, (_, i) => ({
    timeMs: (i + 1) * 1000,
    concurrency: load(i + 1),
    requests: rps(i + 1),
  }));
}

/**
 * Drives the policy tick by tick the way the platform does. `ready` defaults to "the count
 * asked for at the previous tick is ready" (instant cold starts).
 */
export class Harness {
  state: KpaState;
  desired: number;
  constructor(
    readonly s: AutoscalingSettings,
    readonly all: MetricSample[],
  ) {
    this.state = kpaPolicy.initialState(s, 0);
    this.desired = initialDesired(s);
  }
  tick(nowS: number, ready: number = this.desired): ScalingDecision<KpaState> {
    const nowMs = nowS * 1000;
    const decision = kpaPolicy.decide(
      {
        nowMs,
        settings: this.s,
        readyInstances: ready,
        currentDesired: this.desired,
        samples: this.all.filter((x) => x.timeMs <= nowMs && x.timeMs > nowMs - 2 * this.s.stableWindowMs),
      },
      this.state,
    );
    this.state = decision.state;
    this.desired = decision.desired;
    return decision;
  }
  /** Ticks every tick interval over [fromS, toS], returning `{ tS: decision }`. */
  run(fromS: number, toS: number, ready?: (tS: number) => number): Map<number, ScalingDecision<KpaState>> {
    const out = new Map<number, ScalingDecision<KpaState>>();
    for (let t = fromS; t <= toS; t += this.s.tickIntervalMs / 1000) out.set(t, this.tick(t, ready?.(t)));
    return out;
  }
}
