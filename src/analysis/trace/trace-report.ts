/**
 * `trace show --json` and `/api/hivelab/traces/{id}/analysis`: a trace's spans with their
 * self time and critical-path marks, the path, and totals per `service:operation`. The
 * shape is a contract with scripts and the web UI.
 */
import type { Span } from '../../spans/index.js';
import type { CriticalPathItem, OperationTotals, TraceAnalysis } from './analyze-trace.js';
import type { TraceNode } from './trace-tree.js';

/** A span as given, plus what the analysis found. */
export type AnalysedSpan = Span & {
  selfTimeUs: number;
  onCriticalPath: boolean;
  /** Time of the span's own work on the critical path. */
  criticalPathUs: number;
  /** Depth in the tree (root 0). */
  depth: number;
};

/** What `spans: 'times'` keeps of a span: its id and what the analysis found (the web UI has the spans). */
export type SpanTimes = Pick<
  AnalysedSpan,
  'id' | 'selfTimeUs' | 'onCriticalPath' | 'criticalPathUs' | 'depth'
>;

export interface TraceReport<S = AnalysedSpan> {
  traceId: string;
  /** End-to-end duration (the root's), µs. */
  durationUs: number;
  /** Pre-order (parents before children, siblings by start). */
  spans: S[];
  criticalPath: CriticalPathItem[];
  byOperation: OperationTotals[];
}

function depthOf(node: TraceNode): number {
  let depth = 0;
  for (let up = node.parent; up !== undefined; up = up.parent) depth += 1;
  return depth;
}

/**
 * The report of an analysed trace (pure); `spans: 'times'` gives each span's id and times
 * only (a tenth of the bytes for a client that has the spans already).
 */
export function traceReport(analysis: TraceAnalysis): TraceReport;
export function traceReport(analysis: TraceAnalysis, spans: 'times'): TraceReport<SpanTimes>;
export function traceReport(
  analysis: TraceAnalysis,
  spans: 'full' | 'times' = 'full',
): TraceReport<AnalysedSpan | SpanTimes> {
  return {
    traceId: analysis.traceId,
    durationUs: analysis.durationUs,
    spans: analysis.timings.map((t) => ({
      ...(spans === 'full' ? t.node.span : { id: t.node.span.id }),
      selfTimeUs: Math.round(t.selfTimeUs),
      onCriticalPath: t.onCriticalPath,
      criticalPathUs: Math.round(t.criticalPathUs),
      depth: depthOf(t.node),
    })),
    criticalPath: analysis.criticalPath,
    byOperation: analysis.byOperation.map((o) => ({
      ...o,
      criticalPathUs: Math.round(o.criticalPathUs),
      selfTimeUs: Math.round(o.selfTimeUs),
    })),
  };
}
