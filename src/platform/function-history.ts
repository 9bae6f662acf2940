/**
 * A short history per function for the UI and scripts: ready and desired instances over
 * time (one point per autoscaler tick, and one at every instance change), and the last cold
 * starts with their phases. Bounded: the oldest entries go first.
 *
 * Served as `GET /_hivelab/functions/<namespace>/<name>/history` (see admin-api.ts).
 */
import type { ColdStartPhases } from './sandbox/sandbox.js';

/** One moment of the function's scale. */
export interface ScalePoint {
  /** Epoch ms. */
  atMs: number;
  readyInstances: number;
  desiredInstances: number;
  /** Requests in flight plus buffered (the autoscaler's concurrency) at that moment. */
  concurrency: number;
  /** True while the KPA is in panic mode. */
  panic: boolean;
}

/** One instance start that got ready. */
export interface ColdStartRecord {
  /** Epoch ms when the instance became ready. */
  readyAtMs: number;
  instanceId: string;
  /** Offsets from the launch, ms; runner phases only when measured. */
  phases: ColdStartPhases;
}

/** The JSON of the history endpoint. */
export interface FunctionHistory {
  namespace: string;
  name: string;
  /** Oldest first. */
  scale: ScalePoint[];
  /** Oldest first. */
  coldStarts: ColdStartRecord[];
}

/** @default 1800 points: an hour at the 2-s tick. */
const MAX_SCALE_POINTS = 1800;
const MAX_COLD_STARTS = 200;

export class FunctionHistoryLog {
  private readonly scale: ScalePoint[] = [];
  private readonly coldStarts: ColdStartRecord[] = [];

  constructor(
    private readonly maxScalePoints = MAX_SCALE_POINTS,
    private readonly maxColdStarts = MAX_COLD_STARTS,
  ) {}

  recordScale(point: ScalePoint): void {
    push(this.scale, point, this.maxScalePoints);
  }

  recordColdStart(record: ColdStartRecord): void {
    push(this.coldStarts, record, this.maxColdStarts);
  }

  /** A copy, safe to serialise while recording goes on. */
  snapshot(namespace: string, name: string): FunctionHistory {
    return {
      namespace,
      name,
      scale: this.scale.slice(-this.maxScalePoints),
      coldStarts: this.coldStarts.slice(-this.maxColdStarts),
    };
  }
}

function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  // Trim in chunks: one splice per 10 % overflow, not one shift per push.
  if (list.length > max + Math.ceil(max / 10)) list.splice(0, list.length - max);
}
