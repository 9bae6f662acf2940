/**
 * Planning an Azure trace replay, pure: the three tables → the functions to deploy and
 * every invocation with its time, phase, requested duration and memory. Warm-up minutes
 * come first (phase 1), then the measured minutes (phase 2), both read in order from the
 * trace's minute columns. Each function gets its own seeded stream, so adding a function
 * does not change the others' schedules.
 */
import { UserError } from '../../errors.js';
import { minuteSchedule } from '../schedule/arrival-schedule.js';
import type { IatDistribution } from '../schedule/inter-arrival.js';
import { mulberry32 } from '../schedule/prng.js';
import {
  DURATION_QUANTILES,
  functionKey,
  MEMORY_QUANTILES,
  type DurationsRow,
  type FunctionId,
  type InvocationsRow,
  type MemoryRow,
} from './azure-trace.js';
import { samplePercentile } from './percentile-sampler.js';

export interface AzureTrace {
  invocations: InvocationsRow[];
  durations: DurationsRow[];
  memory: MemoryRow[];
}

export interface ReplayPlanOptions {
  /** Measured minutes (phase 2). */
  durationMin: number;
  /** Warm-up minutes before them (phase 1). @default 0 */
  warmupMin?: number;
  /** @default 'exponential' */
  distribution?: IatDistribution;
  /** @default false */
  shift?: boolean;
  seed: number;
  /** Prefix of the deployed function names. @default 'trace-func' */
  namePrefix?: string;
}

export interface PlannedFunction extends FunctionId {
  /** Deployed name: `<prefix>-<i>`. */
  name: string;
  /** Invocations per replayed minute (warm-up first). */
  perMinute: number[];
}

export interface PlannedInvocation {
  /** ms from the start of the replay. */
  atMs: number;
  /** Index into `functions`. */
  functionIndex: number;
  /** `<function name>-<n>`, unique in the plan. */
  invocationId: string;
  /** 1 = warm-up, 2 = measured. */
  phase: 1 | 2;
  durationMs: number;
  memoryMb: number;
}

export interface ReplayPlan {
  functions: PlannedFunction[];
  /** Sorted by `atMs`. */
  invocations: PlannedInvocation[];
  /** Functions of invocations.csv missing from durations.csv or memory.csv (not replayed). */
  skipped: { key: string; missingIn: string[] }[];
  totalMinutes: number;
}

/** Builds the plan. @throws UserError when the trace is shorter than warm-up + duration. */
export function planReplay(trace: AzureTrace, options: ReplayPlanOptions): ReplayPlan {
  const warmupMin = options.warmupMin ?? 0;
  const totalMinutes = warmupMin + options.durationMin;
  const durations = new Map(trace.durations.map((d) => [functionKey(d), d]));
  const memory = new Map(trace.memory.map((m) => [functionKey(m), m]));
  const functions: PlannedFunction[] = [];
  const sources: { durations: DurationsRow; memory: MemoryRow }[] = [];
  const skipped: ReplayPlan['skipped'] = [];
  const prefix = options.namePrefix ?? 'trace-func';
  for (const row of trace.invocations) {
    const key = functionKey(row);
    const d = durations.get(key);
    const m = memory.get(key);
    if (!d || !m) {
      skipped.push({ key, missingIn: [...(d ? [] : ['durations.csv']), ...(m ? [] : ['memory.csv'])] });
      continue;
    }
    if (row.perMinute.length < totalMinutes)
      throw new UserError(
        `invocations.csv has ${row.perMinute.length} minute columns, but --warmup ${warmupMin} + --duration ${options.durationMin} needs ${totalMinutes}`,
        'shorten --duration/--warmup or use a longer trace',
      );
    functions.push({
      hashOwner: row.hashOwner,
      hashApp: row.hashApp,
      hashFunction: row.hashFunction,
      name: `${prefix}-${functions.length}`,
      perMinute: row.perMinute.slice(0, totalMinutes),
    });
    sources.push({ durations: d, memory: m });
  }
  if (functions.length === 0)
    throw new UserError(
      'no function of invocations.csv appears in durations.csv and memory.csv',
      'the three files must share HashOwner,HashApp,HashFunction keys',
    );

  const invocations: PlannedInvocation[] = [];
  functions.forEach((fn, functionIndex) => {
    // A per-function stream: golden-ratio spacing keeps the seeds apart.
    const random = mulberry32((options.seed + Math.imul(functionIndex + 1, 0x9e3779b9)) >>> 0);
    const times = minuteSchedule(
      fn.perMinute,
      { distribution: options.distribution ?? 'exponential', shift: options.shift ?? false },
      random,
    );
    const { durations: d, memory: m } = sources[functionIndex]!;
    times.forEach((atMs, n) => {
      invocations.push({
        atMs,
        functionIndex,
        invocationId: `${fn.name}-${n}`,
        phase: atMs < warmupMin * 60_000 ? 1 : 2,
        durationMs: Math.max(1, Math.round(samplePercentile(DURATION_QUANTILES, d.percentilesMs, random))),
        memoryMb: Math.max(1, Math.round(samplePercentile(MEMORY_QUANTILES, m.percentilesMb, random))),
      });
    });
  });
  // Stable sort: equal times keep function order, so the plan is deterministic.
  invocations.sort((a, b) => a.atMs - b.atMs);
  return { functions, invocations, skipped, totalMinutes };
}
