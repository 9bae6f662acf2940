/**
 * An offline replay of a load trace through a scaling policy, tick by tick, with no
 * platform, processes or sleeping: researchers use it to compare policies (KPA vs their
 * own) on the same trace before running them for real.
 *
 * Model: the trace is the offered concurrency (and optionally the arrival rate) as a step
 * function of time. Every `sampleIntervalMs` a `MetricSample` is taken (the exact
 * time-weighted average of the trace over the interval), every `tickIntervalMs` the policy
 * decides, new instances become ready `coldStartMs` after they were asked for, and removed
 * instances go away at once. When load arrives at a function with no instance the
 * simulator scales to 1 at once, as the platform's activator does.
 */
import { UserError } from '../../errors.js';
import type { AutoscalingSettings } from '../spec/function-spec.js';
import { initialDesired } from './kpa-policy.js';
import { MetricWindow } from './metric-window.js';
import type { MetricSample, ScalingPolicy } from './scaling-policy.js';

/** One change of the offered load: from `timeMs` on, until the next point. */
export interface TracePoint {
  timeMs: number;
  /** Requests in flight (buffered ones included). */
  concurrency: number;
  /** Arrivals per second, for the `rps` metric. @default 0 */
  rps?: number;
}

export interface SimulationOptions {
  /** From asking for an instance to it being ready. @default 0 */
  coldStartMs?: number;
  /** @default the first trace point's time */
  startMs?: number;
  /** @default the last trace point's time (end the trace with a point at the time you want to see) */
  endMs?: number;
  /** @default 1000 */
  sampleIntervalMs?: number;
  /** Simulation resolution: readiness and the poke are checked this often. @default 100 */
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

function validateTrace(trace: readonly TracePoint[]): void {
  if (trace.length === 0)
    throw new UserError('trace is empty; expected at least one {timeMs, concurrency} point');
  trace.forEach((p, i) => {
    if (!Number.isFinite(p.timeMs)) throw new UserError(`trace[${i}].timeMs must be a finite number of ms`);
    if (!(p.concurrency >= 0)) throw new UserError(`trace[${i}].concurrency must be a number >= 0`);
    if (p.rps !== undefined && !(p.rps >= 0)) throw new UserError(`trace[${i}].rps must be a number >= 0`);
    if (i > 0 && p.timeMs < trace[i - 1]!.timeMs) {
      throw new UserError(`trace[${i}].timeMs goes back in time; expected points sorted by timeMs`);
    }
  });
}

/** The trace point in force at `timeMs` (the load is 0 before the first point). */
function pointAt(trace: readonly TracePoint[], timeMs: number): TracePoint | undefined {
  let found: TracePoint | undefined;
  for (const p of trace) {
    if (p.timeMs > timeMs) break;
    found = p;
  }
  return found;
}

/** Exact average of the step function `pick` over `[fromMs, toMs)`. */
function averageOver(
  trace: readonly TracePoint[],
  fromMs: number,
  toMs: number,
  pick: (p: TracePoint) => number,
): number {
  if (toMs <= fromMs) return pointAt(trace, fromMs) === undefined ? 0 : pick(pointAt(trace, fromMs)!);
  let area = 0;
  for (let i = 0; i < trace.length; i += 1) {
    const p = trace[i]!;
    const segStart = Math.max(fromMs, p.timeMs);
    const segEnd = Math.min(toMs, trace[i + 1]?.timeMs ?? Infinity);
    if (segEnd > segStart) area += pick(p) * (segEnd - segStart);
  }
  return area / (toMs - fromMs);
}

/** Replays `trace` through `policy` and returns the desired/ready series and a summary. */
export function simulateScaling<S>(
  policy: ScalingPolicy<S>,
  settings: AutoscalingSettings,
  trace: readonly TracePoint[],
  opts: SimulationOptions = {},
): SimulationResult {
  validateTrace(trace);
  const coldStartMs = opts.coldStartMs ?? 0;
  const sampleMs = opts.sampleIntervalMs ?? 1000;
  const resolutionMs = opts.resolutionMs ?? 100;
  const startMs = opts.startMs ?? trace[0]!.timeMs;
  const endMs = opts.endMs ?? trace.at(-1)!.timeMs;
  const poke = opts.poke ?? true;
  if (!(coldStartMs >= 0)) throw new UserError('coldStartMs must be >= 0');
  if (!(sampleMs > 0) || !(resolutionMs > 0))
    throw new UserError('sampleIntervalMs and resolutionMs must be > 0');

  const window = new MetricWindow(Math.max(settings.stableWindowMs, sampleMs) * 2);
  let state = policy.initialState(settings, startMs);
  let desired = 0;
  /** When each current instance is (or was) ready, in start order. */
  let instances: number[] = [];
  let panic = false;
  let reason = 'initial scale';
  const summary: SimulationSummary = {
    coldStarts: 0,
    instanceSeconds: 0,
    waitingForColdStartMs: 0,
    underProvisionedMs: 0,
    maxDesired: 0,
  };
  const readyAt = (t: number): number => instances.filter((r) => r <= t).length;
  const scaleTo = (n: number, t: number): void => {
    desired = n;
    summary.maxDesired = Math.max(summary.maxDesired, n);
    if (n > instances.length) {
      const added = n - instances.length;
      summary.coldStarts += added;
      instances = [...instances, ...Array.from({ length: added }, () => t + coldStartMs)];
    } else if (n < instances.length) {
      // Instances still starting go first (the newest), then ready ones.
      instances = [...instances].sort((a, b) => a - b).slice(0, n);
    }
  };

  // Deployment: like the platform, start the initial scale (bounded by min/max) at once,
  // whatever the policy; its first tick corrects the count.
  scaleTo(initialDesired(settings), startMs);

  const steps: SimulationStep[] = [];
  let lastSampleMs = startMs;
  let instanceMs = 0;
  for (let t = startMs; t <= endMs; t += resolutionMs) {
    const concurrency = pointAt(trace, t)?.concurrency ?? 0;
    if (poke && desired === 0 && concurrency > 0) scaleTo(1, t);
    if (t - lastSampleMs >= sampleMs) {
      const sample: MetricSample = {
        timeMs: t,
        concurrency: averageOver(trace, lastSampleMs, t, (p) => p.concurrency),
        requests: (averageOver(trace, lastSampleMs, t, (p) => p.rps ?? 0) * (t - lastSampleMs)) / 1000,
      };
      window.record(sample);
      lastSampleMs = t;
      if ((t - startMs) % settings.tickIntervalMs < resolutionMs) {
        const decision = policy.decide(
          {
            nowMs: t,
            settings,
            readyInstances: readyAt(t),
            currentDesired: desired,
            samples: window.samples(t),
          },
          state,
        );
        state = decision.state;
        panic = decision.panic;
        reason = decision.reason;
        if (decision.desired !== desired) scaleTo(decision.desired, t);
      }
      const ready = readyAt(t);
      steps.push({
        timeMs: t,
        concurrency,
        desired,
        ready,
        starting: instances.length - ready,
        panic,
        reason,
      });
    }
    const ready = readyAt(t);
    instanceMs += instances.length * resolutionMs;
    if (concurrency > 0 && ready === 0) summary.waitingForColdStartMs += resolutionMs;
    if (concurrency > ready * settings.target) summary.underProvisionedMs += resolutionMs;
  }
  summary.instanceSeconds = instanceMs / 1000;
  return { policy: policy.name, steps, summary };
}
