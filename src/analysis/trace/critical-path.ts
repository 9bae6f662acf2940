/**
 * Self time and the critical path of a trace tree (pure; reads the tree, never changes it).
 *
 * - A child is considered within its parent's window only: its interval is clipped to the
 *   parent's, and a child wholly outside is dropped. Non-blocking children (PRODUCER,
 *   CONSUMER, FOLLOWS_FROM) are ignored by both measures.
 * - Sequential siblings that overlap by at most `toleranceFraction` (1 %, as Uber's CRISP
 *   allows for clock noise) of the parent's duration count as sequential and keep their full
 *   durations; the overlap comes out of the parent's own time.
 * - Self time: duration minus the union of the children's intervals.
 * - Critical path (Jaeger's algorithm): from the end of a span, take its last-finishing
 *   child, then walk back to the latest child that ended before that one started, and so
 *   on; the gaps between them are the span's own time on the path. The root's path covers
 *   the root's whole duration.
 */
import type { TraceNode } from './trace-tree.js';

/** CRISP's allowance for clock noise between sequential siblings. */
export const DEFAULT_OVERLAP_TOLERANCE = 0.01;

/**
 * A stretch of time on the critical path spent in one span's own work. A segment with
 * `endUs < startUs` is an overlap of two sequential children taken out of the span's own
 * time: sums per span include it (floored at 0 per span), listings skip it.
 */
export interface PathSegment {
  node: TraceNode;
  startUs: number;
  endUs: number;
}

interface Interval {
  node: TraceNode;
  startUs: number;
  endUs: number;
}

/** The blocking children of `node`, clipped to `[fromUs, toUs]`, by start. */
function clippedChildren(node: TraceNode, fromUs: number, toUs: number): Interval[] {
  const out: Interval[] = [];
  for (const child of node.children) {
    if (!child.blocking) continue;
    const startUs = Math.max(child.startUs, fromUs);
    const endUs = Math.min(child.endUs, toUs);
    if (endUs <= startUs) continue;
    out.push({ node: child, startUs, endUs });
  }
  return out;
}

/** Self time of `node` in µs. */
export function selfTimeUs(node: TraceNode, toleranceFraction = DEFAULT_OVERLAP_TOLERANCE): number {
  const durationUs = node.endUs - node.startUs;
  if (durationUs <= 0) return 0;
  const toleranceUs = durationUs * toleranceFraction;
  const children = clippedChildren(node, node.startUs, node.endUs);
  let covered = 0;
  let curEnd = -Infinity;
  for (const child of children) {
    const length = child.endUs - child.startUs;
    if (child.startUs >= curEnd) {
      covered += length;
      curEnd = child.endUs;
    } else if (child.endUs > curEnd) {
      // Overlapping the previous one: a little (clock noise) still counts in full.
      covered += curEnd - child.startUs <= toleranceUs ? length : child.endUs - curEnd;
      curEnd = child.endUs;
    }
  }
  return Math.max(0, durationUs - covered);
}

/** The critical path of the subtree under `root`, in time order. */
export function criticalPath(root: TraceNode, toleranceFraction = DEFAULT_OVERLAP_TOLERANCE): PathSegment[] {
  const segments: PathSegment[] = [];
  walk(root, root.startUs, root.endUs, toleranceFraction, segments);
  return segments.reverse();
}

/**
 * Appends the path of `node` within `[fromUs, toUs]` to `out`, latest first. The latest
 * child ending by the cursor is taken (within the tolerance past it, for the sibling that
 * follows); the cursor then moves to that child's start.
 */
function walk(node: TraceNode, fromUs: number, toUs: number, tolerance: number, out: PathSegment[]): void {
  const toleranceUs = (node.endUs - node.startUs) * tolerance;
  const children = clippedChildren(node, fromUs, toUs).sort(
    (a, b) => b.endUs - a.endUs || b.startUs - a.startUs,
  );
  let cursor = toUs;
  let first = true;
  for (;;) {
    const limit = first ? cursor : cursor + toleranceUs;
    const next = children.find((c) => c.endUs <= limit && c.startUs < cursor);
    if (next === undefined) break;
    if (next.endUs !== cursor) out.push({ node, startUs: next.endUs, endUs: cursor });
    walk(next.node, next.startUs, next.endUs, tolerance, out);
    cursor = Math.min(cursor, next.startUs);
    first = false;
    children.splice(children.indexOf(next), 1);
  }
  if (fromUs < cursor) out.push({ node, startUs: fromUs, endUs: cursor });
}
