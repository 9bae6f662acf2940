/**
 * The autoscaler: Knative's KPA as a pure decision function, the metric plumbing the
 * platform feeds it with, a loader for researchers' own policies, and an offline simulator.
 *
 * ## How the platform drives it
 * Per function: a {@link ConcurrencySampler} sees every request start and finish (buffered
 * ones included); every second `window.record(sampler.sample(now))` into a
 * {@link MetricWindow}; every `settings.tickIntervalMs`
 * `policy.decide({ nowMs, settings, readyInstances, currentDesired, samples: window.samples(now) }, state)`
 * and the instance manager converges on `decision.desired`. At deployment it starts
 * {@link initialDesired}`(settings)` instances; when a request reaches a function at zero it
 * scales to 1 at once, and the next decision does not undo it.
 *
 * ## Writing your own policy
 * A policy is a module whose default export is a {@link ScalingPolicy}: a `name`, an
 * `initialState(settings, nowMs)` and a pure `decide(input, state)` that returns
 * `{ desired, state, panic, reason }`. The clock, the samples and the settings come in as
 * arguments, so a policy is tested (and compared offline with {@link simulateScaling})
 * without sleeping. Point a function at it with the annotation
 * `hivelab.dev/autoscaler: ./my-policy.js` (relative to the YAML file; plain JavaScript
 * ESM, or TypeScript compiled to it, since Node 20 does not import `.ts`). `samples` holds
 * one sample a second (average in-flight requests, buffered ones included, and arrivals)
 * covering at least the stable window. For example, a policy that provisions for the peak
 * of the last 10 s:
 *
 * ```js
 * // my-policy.js
 * export default {
 *   name: 'peak-10s',
 *   initialState: () => ({}),
 *   decide({ nowMs, settings, samples }, state) {
 *     const recent = samples.filter((s) => s.timeMs > nowMs - 10_000);
 *     const peak = Math.max(0, ...recent.map((s) => s.concurrency));
 *     const desired = Math.max(settings.minScale, Math.ceil(peak / settings.target));
 *     return { desired, state, panic: false, reason: `peak ${peak} → ${desired}` };
 *   },
 * };
 * ```
 *
 * `examples/fixed-policy.ts` (built to `dist/platform/autoscaler/examples/fixed-policy.js`)
 * is a complete, usable one. {@link loadScalingPolicy} checks a module's shape when the
 * function is deployed and every decision it returns.
 */
export type { ScalingPolicy, ScalingInput, ScalingDecision, MetricSample } from './scaling-policy.js';
export { kpaPolicy, initialDesired, targetValue } from './kpa-policy.js';
export type { KpaState } from './kpa-policy.js';
export type { Activation } from './activation.js';
export { loadScalingPolicy, assertScalingPolicy, assertDecision } from './load-scaling-policy.js';
export { MetricWindow } from './metric-window.js';
export { ConcurrencySampler } from './concurrency-sampler.js';
export { simulateScaling, compareScaling } from './simulate.js';
export { parseLoadProfileCsv, formatSimulationCsv } from './load-profile-csv.js';
export { LoadProfile } from './load-profile.js';
export type { LoadPoint } from './load-profile.js';
export type { SimulationOptions, SimulationStep, SimulationSummary, SimulationResult } from './simulate.js';
export { createFixedPolicy, FIXED_SCALE_ENV } from './examples/fixed-policy.js';
export type { FixedState } from './examples/fixed-policy.js';
