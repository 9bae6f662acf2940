/** Pure: turns launch and runner timestamps into `ColdStartPhases`. */
import type { ColdStartPhases } from './sandbox.js';

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
 * disagree by a fraction of a millisecond. Missing runner phases collapse onto the
 * previous phase (an executable that is not ours shows spawn and ready only).
 */
export function computePhases(times: LaunchTimes): ColdStartPhases {
  const readyMs = Math.max(0, times.readyAt - times.launchAt);
  let previous = 0;
  const next = (at: number | undefined): number => {
    const value = at === undefined ? previous : Math.min(readyMs, Math.max(previous, at - times.launchAt));
    previous = value;
    return value;
  };
  const spawnMs = next(times.spawnedAt);
  const runtimeInitMs = next(times.runtimeUpAt);
  const codeLoadMs = next(times.codeLoadedAt);
  const functionInitMs = next(times.initDoneAt);
  return { spawnMs, runtimeInitMs, codeLoadMs, functionInitMs, readyMs };
}

/** Pure: the duration of each phase (what a span tag shows), from the cumulative offsets. */
export function phaseDurations(phases: ColdStartPhases): ColdStartPhases {
  return {
    spawnMs: phases.spawnMs,
    runtimeInitMs: phases.runtimeInitMs - phases.spawnMs,
    codeLoadMs: phases.codeLoadMs - phases.runtimeInitMs,
    functionInitMs: phases.functionInitMs - phases.codeLoadMs,
    readyMs: phases.readyMs - phases.functionInitMs,
  };
}
