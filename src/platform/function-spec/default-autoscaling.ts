/**
 * Knative's KPA defaults (design.md, "Knative autoscaling (KPA) defaults"), in one place so
 * the spec parser, the admin API and tests agree.
 */
import type { AutoscalingSettings } from './function-spec.js';

/** Knative's target concurrency when `containerConcurrency` is 0 (unlimited). */
export const DEFAULT_TARGET_UNLIMITED = 100;

/** The autoscaling settings of a function that sets no annotation. */
export function defaultAutoscaling(containerConcurrency: number): AutoscalingSettings {
  return {
    policy: 'kpa',
    metric: 'concurrency',
    target: containerConcurrency > 0 ? containerConcurrency : DEFAULT_TARGET_UNLIMITED,
    targetUtilization: 0.7,
    minScale: 0,
    maxScale: 0,
    initialScale: 1,
    stableWindowMs: 60_000,
    panicWindowPercentage: 10,
    panicThresholdPercentage: 200,
    scaleDownDelayMs: 0,
    scaleToZeroGracePeriodMs: 30_000,
    tickIntervalMs: 2_000,
    maxScaleUpRate: 1000,
    maxScaleDownRate: 2,
  };
}
