/**
 * `analyze types`: one row per request type, from a stream of trace summaries. The JSON
 * shape (`TypesReport`) is a contract with scripts and the web UI.
 */
import type { TraceSummary } from '../../store/index.js';
import { moments, quantileSorted } from '../stats/stats.js';
import { SummaryDecoder, type DecodedSummary, type SummaryGroup } from '../summary/trace-summarizer.js';
import type { KeyKind } from './request-key.js';
import { TypeAccumulator } from './type-accumulator.js';

/** p50/p90/p99/max/mean/std (and min, for seed 004's rows) of one metric, in the unit its field name says. */
export interface MetricStats {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  std: number;
}

export interface TypeRow {
  key: string;
  count: number;
  errorRate: number;
  durationMs: MetricStats;
  cpuMs: MetricStats;
  peakMemKb: MetricStats;
  /** Median over the type's traces of the critical-path time per `service:operation`, largest first. */
  criticalPath: { service: string; operation: string; medianUs: number }[];
  /** The trace of median duration, then the slowest. */
  exampleTraceIds: string[];
}

export interface TypesReport {
  types: TypeRow[];
}

/** Which traces count: names are compared lower-case, as stores keep them. */
export interface SummaryFilter {
  /** A local service of some span of the trace. */
  service?: string;
  /** The name of some span (of `service`, when given). */
  operation?: string;
}

/** The key of a summary under `kind`. */
export function keyOf(group: SummaryGroup, kind: KeyKind): string {
  return kind === 'tree' ? group.tree : kind === 'root' ? group.root : group.set;
}

/** A predicate over groups for the filter, memoised per group. */
export function groupMatcher(filter: SummaryFilter): (group: SummaryGroup) => boolean {
  const service = filter.service?.toLowerCase();
  const operation = filter.operation?.toLowerCase();
  if (service === undefined && operation === undefined) return () => true;
  const memo = new WeakMap<SummaryGroup, boolean>();
  return (group) => {
    let ok = memo.get(group);
    if (ok === undefined) {
      ok = group.ops.some(
        (op) =>
          (service === undefined || op.service.toLowerCase() === service) &&
          (operation === undefined || op.operation.toLowerCase() === operation),
      );
      memo.set(group, ok);
    }
    return ok;
  };
}

/** Decodes and filters a stream of summaries; stops after `limit` matching traces. */
export async function* decodeSummaries(
  pages: AsyncIterable<TraceSummary[]>,
  filter: SummaryFilter = {},
  limit = Infinity,
): AsyncGenerator<DecodedSummary[]> {
  const decoder = new SummaryDecoder();
  const matches = groupMatcher(filter);
  let left = limit;
  for await (const page of pages) {
    const out: DecodedSummary[] = [];
    for (const summary of page) {
      if (left <= 0) break;
      const group = decoder.group(summary.group);
      if (!matches(group)) continue;
      out.push(decoder.decode(summary));
      left -= 1;
    }
    if (out.length > 0) yield out;
    if (left <= 0) return;
  }
}

/**
 * Groups a stream of summaries by request type in one pass, keeping those that match the
 * filter, at most `limit` of them. Each distinct group text is parsed and matched once.
 */
export async function accumulateTypes(
  pages: AsyncIterable<TraceSummary[]>,
  kind: KeyKind,
  filter: SummaryFilter = {},
  limit = Infinity,
): Promise<Map<string, TypeAccumulator>> {
  const decoder = new SummaryDecoder();
  const matches = groupMatcher(filter);
  const types = new Map<string, TypeAccumulator>();
  const byText = new Map<string, { group: SummaryGroup; type: TypeAccumulator } | null>();
  let left = limit;
  for await (const page of pages) {
    for (const summary of page) {
      if (left <= 0) return types;
      let entry = byText.get(summary.group);
      if (entry === undefined) {
        const group = decoder.group(summary.group);
        entry = null;
        if (matches(group)) {
          const key = keyOf(group, kind);
          let type = types.get(key);
          if (type === undefined) {
            type = new TypeAccumulator(key);
            types.set(key, type);
          }
          entry = { group, type };
        }
        byText.set(summary.group, entry);
      }
      if (entry === null) continue;
      entry.type.add(summary.traceId, entry.group, summary.data);
      left -= 1;
    }
  }
  return types;
}

const round = (value: number, digits: number): number =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : 0;

/** Statistics of an ascending column, scaled by `scale` (e.g. 0.001 for µs → ms). */
export function metricStats(sorted: Float64Array, scale = 1, digits = 3): MetricStats {
  const { mean, std } = moments(sorted);
  return {
    min: round((sorted[0] ?? 0) * scale, digits),
    p50: round(quantileSorted(sorted, 0.5) * scale, digits),
    p90: round(quantileSorted(sorted, 0.9) * scale, digits),
    p99: round(quantileSorted(sorted, 0.99) * scale, digits),
    max: round((sorted[sorted.length - 1] ?? 0) * scale, digits),
    mean: round(mean * scale, digits),
    std: round(std * scale, digits),
  };
}

function exampleIds(type: TypeAccumulator): string[] {
  const durations = type.durationUs.values();
  if (durations.length === 0) return [];
  const median = quantileSorted(type.durationUs.sorted(), 0.5);
  let medianIndex = 0;
  let slowestIndex = 0;
  for (let i = 0; i < durations.length; i++) {
    const d = durations[i] as number;
    if (Math.abs(d - median) < Math.abs((durations[medianIndex] as number) - median)) medianIndex = i;
    if (d > (durations[slowestIndex] as number)) slowestIndex = i;
  }
  const ids = [type.traceIds[medianIndex] as string, type.traceIds[slowestIndex] as string];
  return ids[0] === ids[1] ? [ids[0] as string] : ids;
}

/** The report row of one type. */
export function typeRow(type: TypeAccumulator): TypeRow {
  return {
    key: type.key,
    count: type.count,
    errorRate: round(type.count === 0 ? 0 : type.errors / type.count, 4),
    durationMs: metricStats(type.durationUs.sorted(), 0.001),
    cpuMs: metricStats(type.cpuMs.sorted()),
    peakMemKb: metricStats(type.peakMemKb.sorted(), 1, 0),
    criticalPath: type
      .operations()
      .map((op) => ({
        service: op.service,
        operation: op.operation,
        medianUs: Math.round(op.criticalPathUs),
      }))
      .filter((op) => op.medianUs > 0)
      .sort((a, b) => b.medianUs - a.medianUs),
    exampleTraceIds: exampleIds(type),
  };
}

/** Rows of every type, most frequent first (ties by key). */
export function typesReport(types: Map<string, TypeAccumulator>): TypesReport {
  return {
    types: [...types.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).map(typeRow),
  };
}
