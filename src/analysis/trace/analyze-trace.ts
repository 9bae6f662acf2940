/**
 * One trace, analysed: the tree (clock skew adjusted), each span's self time and share of
 * the critical path, the path itself and the totals per `service:operation`. Pure; failing
 * input (no spans) gives `undefined`, never an exception.
 */
import type { Span } from '../../spans/index.js';
import { adjustClockSkew, DEFAULT_MAX_CLOCK_SKEW_US } from './clock-skew.js';
import { criticalPath, DEFAULT_OVERLAP_TOLERANCE, selfTimeUs } from './critical-path.js';
import { buildTraceTree, type TraceNode, type TraceTree } from './trace-tree.js';

export interface AnalyzeOptions {
  /** Largest clock-skew shift applied, µs; 0 disables. @default 1 000 000 */
  maxClockSkewUs?: number;
  /** Overlap of sequential siblings tolerated, as a fraction of the parent. @default 0.01 */
  overlapTolerance?: number;
}

/** What the analysis found for one span. */
export interface SpanTiming {
  node: TraceNode;
  selfTimeUs: number;
  /** Time of this span's own work on the critical path. */
  criticalPathUs: number;
  onCriticalPath: boolean;
}

/** One stretch of the critical path. */
export interface CriticalPathItem {
  spanId: string;
  service: string;
  operation: string;
  startUs: number;
  endUs: number;
}

/** Totals per (service, operation) of a trace. */
export interface OperationTotals {
  service: string;
  operation: string;
  criticalPathUs: number;
  selfTimeUs: number;
  count: number;
}

export interface TraceAnalysis {
  traceId: string;
  tree: TraceTree;
  /** Same order as `tree.nodes` (pre-order). */
  timings: SpanTiming[];
  criticalPath: CriticalPathItem[];
  /** By first appearance in pre-order. */
  byOperation: OperationTotals[];
  /** The root's start and duration after adjustment, µs. */
  startUs: number;
  durationUs: number;
  /** Spans shifted by the clock-skew adjustment. */
  skewAdjusted: number;
}

/** Analyses a trace's spans (merged, as a store returns them). */
export function analyzeTrace(
  spans: readonly Span[],
  options: AnalyzeOptions = {},
): TraceAnalysis | undefined {
  const tree = buildTraceTree(spans);
  if (tree === undefined) return undefined;
  const skewAdjusted = adjustClockSkew(tree, options.maxClockSkewUs ?? DEFAULT_MAX_CLOCK_SKEW_US);
  const tolerance = options.overlapTolerance ?? DEFAULT_OVERLAP_TOLERANCE;
  const segments = criticalPath(tree.root, tolerance);
  const pathUs = new Map<TraceNode, number>();
  for (const segment of segments) {
    pathUs.set(segment.node, (pathUs.get(segment.node) ?? 0) + segment.endUs - segment.startUs);
  }
  const timings = tree.nodes.map((node): SpanTiming => ({
    node,
    selfTimeUs: selfTimeUs(node, tolerance),
    criticalPathUs: Math.max(0, pathUs.get(node) ?? 0),
    onCriticalPath: pathUs.has(node),
  }));
  const totals = new Map<string, OperationTotals>();
  for (const timing of timings) {
    const { service, operation } = timing.node;
    const key = `${service}\u0000${operation}`;
    let entry = totals.get(key);
    if (entry === undefined) {
      entry = { service, operation, criticalPathUs: 0, selfTimeUs: 0, count: 0 };
      totals.set(key, entry);
    }
    entry.criticalPathUs += timing.criticalPathUs;
    entry.selfTimeUs += timing.selfTimeUs;
    entry.count += 1;
  }
  return {
    traceId: tree.root.span.traceId,
    tree,
    timings,
    criticalPath: segments
      .filter((s) => s.endUs > s.startUs)
      .map((s) => ({
        spanId: s.node.span.id,
        service: s.node.service,
        operation: s.node.operation,
        startUs: s.startUs,
        endUs: s.endUs,
      })),
    byOperation: [...totals.values()],
    startUs: tree.root.startUs,
    durationUs: tree.root.endUs - tree.root.startUs,
    skewAdjusted,
  };
}
