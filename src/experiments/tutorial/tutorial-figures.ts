/**
 * The tutorial's numbers: per-run latency rows, warm and cold latency per function and
 * cold-start mode, the 6-frame trace as timeline bars, and vHive's published figures to set
 * beside them. Pure: results in, rows out.
 */
import { latencyFromScheduledUs, type RequestRecord } from '../../invoker/index.js';
import { percentile, type TimelineBar } from '../report/index.js';
import type { Span } from '../../spans/index.js';
import { functionOfEndpoint } from './tutorial-plan.js';

/** Successful requests' latency from the scheduled send, ms. */
export function latenciesMs(
  records: readonly RequestRecord[],
  filter: (r: RequestRecord) => boolean = () => true,
): number[] {
  return records.filter((r) => r.outcome.ok && filter(r)).map((r) => latencyFromScheduledUs(r) / 1000);
}

/** Warm and cold latency of one function type under one cold-start mode. */
export interface LatencyRow {
  type: string;
  coldStart: 'boot' | 'snapshot';
  warmCount: number;
  warmP50Ms: number;
  warmP99Ms: number;
  coldCount: number;
  /** Median of the cold requests. */
  coldP50Ms: number;
}

/** Pure: rows per function type and mode, from runs' records. */
export function latencyRows(
  runs: readonly { coldStart: 'boot' | 'snapshot'; records: readonly RequestRecord[] }[],
): LatencyRow[] {
  const groups = new Map<
    string,
    { type: string; coldStart: 'boot' | 'snapshot'; records: RequestRecord[] }
  >();
  for (const run of runs) {
    for (const record of run.records) {
      const { type } = functionOfEndpoint(record.endpoint);
      const key = `${type}/${run.coldStart}`;
      const group = groups.get(key) ?? { type, coldStart: run.coldStart, records: [] };
      group.records.push(record);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ type, coldStart, records }) => {
    const warm = latenciesMs(records, (r) => r.outcome.cold !== true);
    const cold = latenciesMs(records, (r) => r.outcome.cold === true);
    return {
      type,
      coldStart,
      warmCount: warm.length,
      warmP50Ms: percentile(warm, 50),
      warmP99Ms: percentile(warm, 99),
      coldCount: cold.length,
      coldP50Ms: percentile(cold, 50),
    };
  });
}

/** vHive's published figures (design.md): warm, cold with vanilla snapshots, cold with REAP, ms. */
export const VHIVE_PUBLISHED: Readonly<
  Record<string, { warmMs?: number; snapshotColdMs: number; reapColdMs: number }>
> = {
  helloworld: { warmMs: 1, snapshotColdMs: 232, reapColdMs: 60 },
  pyaes: { snapshotColdMs: 309, reapColdMs: 55 },
};

/** Pure: a trace's spans as timeline bars, in start order, ms from the trace's first span. */
export function traceTimeline(spans: readonly Span[]): TimelineBar[] {
  const timed = spans.filter((s) => s.timestamp !== undefined && s.duration !== undefined);
  const start = Math.min(...timed.map((s) => s.timestamp ?? 0));
  return [...timed]
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))
    .map((s) => ({
      row: `${s.localEndpoint?.serviceName ?? '?'}: ${s.name ?? ''}`,
      service: s.tags?.['function.name'] ?? s.localEndpoint?.serviceName ?? '?',
      startMs: ((s.timestamp ?? 0) - start) / 1000,
      endMs: ((s.timestamp ?? 0) + (s.duration ?? 0) - start) / 1000,
    }));
}

/** Pure: how many times the gateway invoked `fn` in a trace. */
export function invocationsOf(spans: readonly Span[], fn: string): number {
  return spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === fn).length;
}
