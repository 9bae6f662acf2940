/**
 * The culprit of a flagged trace: the node (`service:operation`) whose own share of the
 * metric exceeds that same node's usual value in the type by the most. Duration is
 * explained by self time (a client span's self time is the wire, sidecar and queue between
 * the call and its server), CPU by `cpu.ms`, memory by `peak_mem.kb`. Pure.
 */
import type { TraceAnalysis } from '../trace/analyze-trace.js';
import type { OperationUsual, TypeAccumulator } from '../types/type-accumulator.js';
import type { AnomalyMetric } from './detect-anomalies.js';

export interface Culprit {
  spanId: string;
  service: string;
  operation: string;
  /** The node's value in the flagged trace, in the metric's unit (ms, ms, KB). */
  value: number;
  /** The node's median in the type, same unit. */
  usual: number;
}

function tagNumber(tags: Record<string, string> | undefined, key: string): number {
  const value = Number(tags?.[key]);
  return Number.isFinite(value) ? value : 0;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function usualOf(usual: OperationUsual | undefined, metric: AnomalyMetric): number {
  if (usual === undefined || usual.seen === 0) return 0;
  if (metric === 'duration') return usual.selfTimeUs / 1000;
  return metric === 'cpu' ? usual.cpuMs : usual.peakMemKb;
}

/** The culprit in `analysis` for `metric`, against the baselines of `type`. */
export function findCulprit(
  analysis: TraceAnalysis,
  type: TypeAccumulator,
  metric: AnomalyMetric,
): Culprit | undefined {
  interface Node {
    service: string;
    operation: string;
    value: number;
    spanId: string;
    best: number;
  }
  const nodes = new Map<string, Node>();
  for (const timing of analysis.timings) {
    const { node } = timing;
    const own =
      metric === 'duration'
        ? timing.selfTimeUs / 1000
        : tagNumber(node.span.tags, metric === 'cpu' ? 'cpu.ms' : 'peak_mem.kb');
    const key = `${node.service}\u0000${node.operation}`;
    let entry = nodes.get(key);
    if (entry === undefined) {
      entry = { service: node.service, operation: node.operation, value: 0, spanId: node.span.id, best: -1 };
      nodes.set(key, entry);
    }
    entry.value = metric === 'memory' ? Math.max(entry.value, own) : entry.value + own;
    if (own > entry.best) {
      entry.best = own;
      entry.spanId = node.span.id;
    }
  }
  let culprit: Culprit | undefined;
  let bestExcess = -Infinity;
  for (const entry of nodes.values()) {
    const usual = usualOf(type.findOperation(entry.service, entry.operation), metric);
    const excess = entry.value - usual;
    if (excess > bestExcess) {
      bestExcess = excess;
      culprit = {
        spanId: entry.spanId,
        service: entry.service,
        operation: entry.operation,
        value: round(entry.value),
        usual: round(usual),
      };
    }
  }
  return culprit;
}
