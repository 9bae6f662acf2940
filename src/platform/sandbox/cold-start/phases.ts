/** Pure: turns launch and runner timestamps into `ColdStartPhases`. */
import type { ColdStartPhases } from '../sandbox.js';

/** Epoch-ms timestamps of one launch; runner ones are absent for executables not ours. */
export interface LaunchTimes {
  launchAt: number;
  spawnedAt: number;
  runtimeUpAt?: number;
  codeLoadedAt?: number;
  initDoneAt?: number;
  readyAt: number;
}

/**
 * Phases as offsets from `launchAt`, each clamped to lie between the previous one and
 * `readyMs`, so they are monotonic and non-negative even when clocks of two processes
 * disagree by a fraction of a millisecond. Runner phases that were not reported stay
 * absent (an executable that is not ours shows spawn and ready only).
 */
export function computePhases(times: LaunchTimes): ColdStartPhases {
  const readyMs = Math.max(0, times.readyAt - times.launchAt);
  let previous = 0;
  const next = (at: number): number => {
    const value = Math.min(readyMs, Math.max(previous, at - times.launchAt));
    previous = value;
    return value;
  };
  const phases: ColdStartPhases = { spawnMs: next(times.spawnedAt), readyMs };
  if (times.runtimeUpAt !== undefined) phases.runtimeInitMs = next(times.runtimeUpAt);
  if (times.codeLoadedAt !== undefined) phases.codeLoadMs = next(times.codeLoadedAt);
  if (times.initDoneAt !== undefined) phases.functionInitMs = next(times.initDoneAt);
  return phases;
}

/**
 * Pure: `phases` of a sandbox that was ready, then waited `probeWaitMs` for the spec's
 * readinessProbe to pass: the probe's wait becomes the last phase, so the phases still end
 * at the cold start as a request saw it (launch → traffic allowed).
 */
export function withReadinessProbe(phases: ColdStartPhases, probeWaitMs: number): ColdStartPhases {
  return { ...phases, sandboxReadyMs: phases.readyMs, readyMs: phases.readyMs + Math.max(0, probeWaitMs) };
}

/**
 * Pure: the duration of each phase (what a timeline segment shows), from the cumulative
 * offsets; a phase not measured is absent and the next measured one takes its time.
 */
export function phaseDurations(phases: ColdStartPhases): ColdStartPhases {
  let previous = phases.spawnMs;
  const since = (at: number | undefined): number | undefined => {
    if (at === undefined) return undefined;
    const duration = at - previous;
    previous = at;
    return duration;
  };
  const out: ColdStartPhases = { spawnMs: phases.spawnMs, readyMs: 0 };
  const runtimeInitMs = since(phases.runtimeInitMs);
  const codeLoadMs = since(phases.codeLoadMs);
  const functionInitMs = since(phases.functionInitMs);
  if (runtimeInitMs !== undefined) out.runtimeInitMs = runtimeInitMs;
  if (codeLoadMs !== undefined) out.codeLoadMs = codeLoadMs;
  if (functionInitMs !== undefined) out.functionInitMs = functionInitMs;
  const sandboxReadyMs = since(phases.sandboxReadyMs);
  if (sandboxReadyMs !== undefined) out.sandboxReadyMs = sandboxReadyMs;
  // What remains: the wait for readiness (with a spec probe: that probe's wait).
  out.readyMs = phases.readyMs - previous;
  return out;
}
