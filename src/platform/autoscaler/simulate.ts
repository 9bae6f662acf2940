/**
 * An offline replay of a load profile through a scaling policy, tick by tick, with no
 * platform, processes or sleeping: researchers use it to compare policies (KPA vs their
 * own) on the same load profile before running them for real.
 *
 * Model: the load profile is the offered concurrency (and optionally the arrival rate) as a step
 * function of time. Every `sampleIntervalMs` a `MetricSample` is taken (the exact
 * time-weighted average of the load profile over the interval), every `tickIntervalMs` the policy
 * decides, new instances become ready `coldStartMs` after they were asked for, and removed
 * instances go away at once (those still starting first). When load arrives at a function
 * with no instance the simulator scales to 1 at once, as the platform's activator does.
 * At the start, like the platform, it starts the initial scale (`initialDesired`).
 */
import { UserError } from '../../errors.js';
import type { AutoscalingSettings } from '../function-spec/function-spec.js';
import { initialDesired } from './kpa-policy.js';
import { LoadProfile, type LoadPoint } from './load-profile.js';
import { MetricWindow } from './metric-window.js';
import type { ScalingPolicy } from './scaling-policy.js';

export interface SimulationOptions {
  /** From asking for an instance to it being ready. @default 0 */
  coldStartMs?: number;
  /** @default the first load point's time */
  startMs?: number;
  /** @default the last load point's time (end the profile with a point at the time you want to see) */
  endMs?: number;
  /** @default 1000 */
  sampleIntervalMs?: number;
  /** Simulation resolution: readiness, the poke and the summary are updated this often. @default 100 */
  resolutionMs?: number;
  /** Scale from zero at once when load arrives (the activator). @default true */
  poke?: boolean;
}

/** The state after each sample. */
export interface SimulationStep {
  timeMs: number;
  /** Offered concurrency at this instant. */
  concurrency: number;
  desired: number;
  ready: number;
  /** Asked for, not ready yet. */
  starting: number;
  panic: boolean;
  /** The reason of the latest decision. */
  reason: string;
}

export interface SimulationSummary {
  /** Instances started (each one a cold start). */
  coldStarts: number;
  /** Integral of instances (ready and starting) over time: the cost. */
  instanceSeconds: number;
  /** Time with load but no ready instance: requests wait for a cold start. */
  waitingForColdStartMs: number;
  /** Time with more load than ready instances × target: queueing. */
  underProvisionedMs: number;
  maxDesired: number;
}

export interface SimulationResult {
  policy: string;
  steps: SimulationStep[];
  summary: SimulationSummary;
}

/** The simulated instances: when each one is (or was) ready. */
class InstancePool {
  desired = 0;
  coldStarts = 0;
  maxDesired = 0;
  #readyAtMs: number[] = [];

  constructor(private readonly coldStartMs: number) {}

  get count(): number {
    return this.#readyAtMs.length;
  }

  readyAt(nowMs: number): number {
    return this.#readyAtMs.filter((r) => r <= nowMs).length;
  }

  scaleTo(n: number, nowMs: number): void {
    this.desired = n;
    this.maxDesired = Math.max(this.maxDesired, n);
    if (n > this.count) {
      const added = n - this.count;
      this.coldStarts += added;
      for (let i = 0; i < added; i += 1) this.#readyAtMs.push(nowMs + this.coldStartMs);
    } else if (n < this.count) {
      // Keep the earliest ready: instances still starting go first.
      this.#readyAtMs = [...this.#readyAtMs].sort((a, b) => a - b).slice(0, n);
    }
  }
}

function options(opts: SimulationOptions, load: LoadProfile) {
  const resolved = {
    coldStartMs: opts.coldStartMs ?? 0,
    sampleMs: opts.sampleIntervalMs ?? 1000,
    resolutionMs: opts.resolutionMs ?? 100,
    startMs: opts.startMs ?? load.startMs,
    endMs: opts.endMs ?? load.endMs,
    poke: opts.poke ?? true,
  };
  if (!(resolved.coldStartMs >= 0)) throw new UserError('coldStartMs must be a number >= 0');
  if (!(resolved.sampleMs > 0)) throw new UserError('sampleIntervalMs must be a number > 0');
  if (!(resolved.resolutionMs > 0)) throw new UserError('resolutionMs must be a number > 0');
  return resolved;
}

/** Replays `profile` through `policy` and returns the desired/ready series and a summary. */
export function simulateScaling<S>(
  policy: ScalingPolicy<S>,
  settings: AutoscalingSettings,
  profile: readonly LoadPoint[],
  opts: SimulationOptions = {},
): SimulationResult {
  const load = new LoadProfile(profile);
  const o = options(opts, load);
  const window = new MetricWindow(Math.max(settings.stableWindowMs, o.sampleMs) * 2);
  const pool = new InstancePool(o.coldStartMs);
  let state = policy.initialState(settings, o.startMs);
  let last = { panic: false, reason: 'initial scale' };
  pool.scaleTo(initialDesired(settings), o.startMs);

  const steps: SimulationStep[] = [];
  let lastSampleMs = o.startMs;
  let nextTickMs = o.startMs + settings.tickIntervalMs;
  let instanceMs = 0;
  let waitingMs = 0;
  let underMs = 0;
  for (let t = o.startMs; t <= o.endMs; t += o.resolutionMs) {
    const concurrency = load.concurrencyAt(t);
    if (o.poke && pool.desired === 0 && concurrency > 0) pool.scaleTo(1, t);
    const sampled = t - lastSampleMs >= o.sampleMs;
    if (sampled) {
      const requests = load.arrivals(lastSampleMs, t);
      window.record({ timeMs: t, concurrency: load.averageConcurrency(lastSampleMs, t), requests });
      lastSampleMs = t;
    }
    if (t >= nextTickMs) {
      nextTickMs += settings.tickIntervalMs;
      const samples = window.samples(t);
      const input = {
        nowMs: t,
        settings,
        readyInstances: pool.readyAt(t),
        currentDesired: pool.desired,
        samples,
      };
      const decision = policy.decide(input, state);
      state = decision.state;
      last = decision;
      if (decision.desired !== pool.desired) pool.scaleTo(decision.desired, t);
    }
    const ready = pool.readyAt(t);
    if (sampled) {
      const starting = pool.count - ready;
      steps.push({ timeMs: t, concurrency, desired: pool.desired, ready, starting, ...pick(last) });
    }
    instanceMs += pool.count * o.resolutionMs;
    if (concurrency > 0 && ready === 0) waitingMs += o.resolutionMs;
    if (concurrency > ready * settings.target) underMs += o.resolutionMs;
  }
  const summary: SimulationSummary = {
    coldStarts: pool.coldStarts,
    instanceSeconds: instanceMs / 1000,
    waitingForColdStartMs: waitingMs,
    underProvisionedMs: underMs,
    maxDesired: pool.maxDesired,
  };
  return { policy: policy.name, steps, summary };
}

function pick(d: { panic: boolean; reason: string }): { panic: boolean; reason: string } {
  return { panic: d.panic, reason: d.reason };
}

/** One row per policy: the same load profile and options through each, for a side-by-side table. */
export function compareScaling(
  policies: readonly ScalingPolicy[],
  settings: AutoscalingSettings,
  profile: readonly LoadPoint[],
  opts: SimulationOptions = {},
): SimulationResult[] {
  return policies.map((policy) => simulateScaling(policy, settings, profile, opts));
}
