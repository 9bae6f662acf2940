/**
 * Replay results: one row per invocation and a failure summary. Pure formatting over the
 * runner's records and the plan.
 */
import { csvCell } from '../outputs/request-csv.js';
import { createLatencyHistogram, type Percentiles } from '../latency-histogram.js';
import { latencyFromScheduledUs, type RequestRecord } from '../request-record.js';
import type { ErrorKind } from '../clients/target-client.js';
import type { ReplayPlan } from './replay-plan.js';

export const REPLAY_CSV_HEADER =
  'phase,function,hash_function,invocation_id,scheduled_us,start_us,requested_duration_ms,actual_duration_ms,requested_memory_mb,actual_memory_mb,response_time_us,cold,ok,status,error_kind,error';

/** What trace-func answered, when it answered JSON. */
export function actualWork(body: string | undefined): { durationMs?: number; memoryMb?: number } {
  if (!body) return {};
  try {
    const parsed = JSON.parse(body) as { durationMs?: unknown; memoryMb?: unknown };
    const out: { durationMs?: number; memoryMb?: number } = {};
    if (typeof parsed.durationMs === 'number') out.durationMs = parsed.durationMs;
    if (typeof parsed.memoryMb === 'number') out.memoryMb = parsed.memoryMb;
    return out;
  } catch {
    return {};
  }
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

export interface ReplaySummary {
  functions: number;
  skippedFunctions: number;
  warmup: PhaseSummary;
  measured: PhaseSummary;
  /** Functions with at least one failed invocation: name → failures. */
  failuresByFunction: Record<string, number>;
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
  };
}
