/**
 * Replay results: one row per invocation and a failure summary. Pure formatting over the
 * runner's records and the plan.
 */
import { csvCell } from '../outputs/request-csv.js';
import { createLatencyHistogram, type Percentiles } from '../latency-histogram.js';
import { latencyFromScheduledUs, type RequestRecord } from '../request-record.js';
import type { ErrorKind } from '../clients/target-client.js';
import type { ReplayPlan } from './replay-plan.js';

/** The last two columns (added after the first release) say how the execution kept to the request. */
export const REPLAY_CSV_HEADER =
  'phase,function,hash_function,invocation_id,scheduled_us,start_us,requested_duration_ms,actual_duration_ms,requested_memory_mb,actual_memory_mb,response_time_us,cold,ok,status,error_kind,error,memory_touch_ms,duration_note';

/** What trace-func did, as it answered (JSON). */
export interface ActualWork {
  durationMs?: number;
  memoryMb?: number;
  /** Of the duration, the memory allocation and touch, ms. */
  touchMs?: number;
}

/** What trace-func answered, when it answered JSON. */
export function actualWork(body: string | undefined): ActualWork {
  if (!body) return {};
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const out: ActualWork = {};
    if (typeof parsed.durationMs === 'number') out.durationMs = parsed.durationMs;
    if (typeof parsed.memoryMb === 'number') out.memoryMb = parsed.memoryMb;
    if (typeof parsed.touchMs === 'number') out.touchMs = parsed.touchMs;
    return out;
  } catch {
    return {};
  }
}

/** The executed duration counts as the requested one within 5 % (or 0.5 ms, a timer's grain). */
export function withinTolerance(requestedMs: number, executedMs: number): boolean {
  return Math.abs(executedMs - requestedMs) <= Math.max(0.05 * requestedMs, 0.5);
}

/**
 * Pure: why an executed duration is not the requested one, or '' when it is (within
 * tolerance). The memory touch alone taking longer than the request is the usual reason.
 */
export function durationNote(requestedMs: number, actual: ActualWork): string {
  if (actual.durationMs === undefined) return '';
  if (withinTolerance(requestedMs, actual.durationMs)) return '';
  if (actual.touchMs !== undefined && actual.touchMs > requestedMs)
    return `memory touch alone took ${actual.touchMs.toFixed(1)} ms`;
  const off = requestedMs > 0 ? ((actual.durationMs - requestedMs) / requestedMs) * 100 : Infinity;
  return `executed ${actual.durationMs.toFixed(1)} ms (${Number.isFinite(off) ? `${off > 0 ? '+' : ''}${off.toFixed(0)} %` : 'requested 0'})`;
}

/** Rows sorted by plan order; response time measured from the scheduled start. */
export function formatReplayCsv(
  plan: ReplayPlan,
  records: readonly RequestRecord[],
  startEpochMs: number,
): string {
  const lines = [REPLAY_CSV_HEADER];
  for (const r of [...records].sort((a, b) => a.index - b.index)) {
    const inv = plan.invocations[r.index]!;
    const fn = plan.functions[inv.functionIndex]!;
    const actual = actualWork(r.outcome.ok ? r.outcome.body : undefined);
    lines.push(
      [
        inv.phase,
        fn.name,
        csvCell(fn.hashFunction),
        inv.invocationId,
        Math.round((startEpochMs + r.scheduledMs) * 1000),
        Math.round((startEpochMs + r.sentMs) * 1000),
        inv.durationMs,
        actual.durationMs ?? '',
        inv.memoryMb,
        actual.memoryMb ?? '',
        Math.round(latencyFromScheduledUs(r)),
        r.outcome.cold === undefined ? '' : r.outcome.cold ? 1 : 0,
        r.outcome.ok ? 1 : 0,
        csvCell(r.outcome.status),
        r.outcome.errorKind ?? '',
        csvCell(r.outcome.errorMessage ?? ''),
        actual.touchMs ?? '',
        csvCell(durationNote(inv.durationMs, actual)),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

export interface PhaseSummary {
  invocations: number;
  ok: number;
  cold: number;
  errors: Record<ErrorKind, number>;
  /** Successful invocations, from the scheduled start, µs. */
  responseTimeUs: Percentiles;
}

/** Per function, requested vs executed duration of its successful invocations (both phases). */
export interface FunctionWork {
  function: string;
  /** Successful invocations that reported what they did. */
  invocations: number;
  requestedDurationMsP50: number;
  executedDurationMsP50: number;
  /** Executed within 5 % of the request. */
  withinTolerance: number;
  /** Not within it because the memory touch alone took longer than the request. */
  touchTookLonger: number;
  /** Not within it for another reason (e.g. the instance descheduled). */
  otherwiseOff: number;
}

export interface ReplaySummary {
  functions: number;
  skippedFunctions: number;
  warmup: PhaseSummary;
  measured: PhaseSummary;
  /** Functions with at least one failed invocation: name → failures. */
  failuresByFunction: Record<string, number>;
  /** Requested vs executed duration per function, in plan order. */
  work: FunctionWork[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Pure: requested vs executed per function, from the successful invocations' answers. */
export function summarizeWork(plan: ReplayPlan, records: readonly RequestRecord[]): FunctionWork[] {
  const byFunction = plan.functions.map(() => ({
    requested: [] as number[],
    executed: [] as number[],
    within: 0,
    touch: 0,
    off: 0,
  }));
  for (const r of records) {
    if (!r.outcome.ok) continue;
    const inv = plan.invocations[r.index]!;
    const actual = actualWork(r.outcome.body);
    if (actual.durationMs === undefined) continue;
    const w = byFunction[inv.functionIndex]!;
    w.requested.push(inv.durationMs);
    w.executed.push(actual.durationMs);
    if (withinTolerance(inv.durationMs, actual.durationMs)) w.within++;
    else if (actual.touchMs !== undefined && actual.touchMs > inv.durationMs) w.touch++;
    else w.off++;
  }
  return plan.functions.map((fn, i) => {
    const w = byFunction[i]!;
    return {
      function: fn.name,
      invocations: w.executed.length,
      requestedDurationMsP50: median(w.requested),
      executedDurationMsP50: median(w.executed),
      withinTolerance: w.within,
      touchTookLonger: w.touch,
      otherwiseOff: w.off,
    };
  });
}

export function summarizeReplay(plan: ReplayPlan, records: readonly RequestRecord[]): ReplaySummary {
  const phases = [1, 2].map(() => ({
    invocations: 0,
    ok: 0,
    cold: 0,
    errors: { timeout: 0, refused: 0, status: 0, other: 0 },
    histogram: createLatencyHistogram(),
  }));
  const failuresByFunction: Record<string, number> = {};
  for (const r of records) {
    const inv = plan.invocations[r.index]!;
    const phase = phases[inv.phase - 1]!;
    phase.invocations++;
    if (r.outcome.cold) phase.cold++;
    if (r.outcome.ok) {
      phase.ok++;
      phase.histogram.record(latencyFromScheduledUs(r));
    } else {
      phase.errors[r.outcome.errorKind ?? 'other']++;
      const name = plan.functions[inv.functionIndex]!.name;
      failuresByFunction[name] = (failuresByFunction[name] ?? 0) + 1;
    }
  }
  const done = (p: (typeof phases)[number]): PhaseSummary => ({
    invocations: p.invocations,
    ok: p.ok,
    cold: p.cold,
    errors: p.errors,
    responseTimeUs: p.histogram.percentiles(),
  });
  return {
    functions: plan.functions.length,
    skippedFunctions: plan.skipped.length,
    warmup: done(phases[0]!),
    measured: done(phases[1]!),
    failuresByFunction,
    work: summarizeWork(plan, records),
  };
}
