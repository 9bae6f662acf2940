/**
 * Self time and critical path of a trace, computed in the browser when the analyzer's
 * `/api/hivelab/traces/{id}/analysis` is not available. Pure; the rules follow Jaeger UI's
 * critical path (from the root, the last-finishing child, then walking back to the latest
 * child that ended before the one just taken started), with children clipped to their
 * parent's window and PRODUCER/CONSUMER children treated as not blocking.
 */
import type { TraceModel } from './trace-model.js';

/** A stretch of time the critical path spends in one span. */
export interface CriticalSection {
  index: number;
  startUs: number;
  endUs: number;
}

export interface TraceTimes {
  /** Per node: duration minus the union of its children's intervals, clipped to it. */
  selfTimeUs: Float64Array;
  /** Per node: time of the critical path spent in that span. */
  criticalUs: Float64Array;
  sections: CriticalSection[];
}

function blocking(model: TraceModel, index: number): boolean {
  const kind = model.nodes[index]!.span.kind;
  return kind !== 'PRODUCER' && kind !== 'CONSUMER';
}

/** Children clipped to the parent's window, wholly-outside ones dropped, by end time descending. */
function clippedChildren(
  model: TraceModel,
  index: number,
): { index: number; startUs: number; endUs: number }[] {
  const parent = model.nodes[index]!;
  const pStart = parent.startUs;
  const pEnd = parent.startUs + parent.durationUs;
  const out: { index: number; startUs: number; endUs: number }[] = [];
  for (const c of parent.children) {
    if (!blocking(model, c)) continue;
    const child = model.nodes[c]!;
    const startUs = Math.max(pStart, child.startUs);
    const endUs = Math.min(pEnd, child.startUs + child.durationUs);
    if (endUs < startUs || child.startUs > pEnd || child.startUs + child.durationUs < pStart) continue;
    out.push({ index: c, startUs, endUs });
  }
  return out.sort((a, b) => b.endUs - a.endUs);
}

function selfTime(model: TraceModel, index: number): number {
  const node = model.nodes[index]!;
  const start = node.startUs;
  const end = node.startUs + node.durationUs;
  const intervals = node.children
    .map((c) => model.nodes[c]!)
    .map((c) => [Math.max(start, c.startUs), Math.min(end, c.startUs + c.durationUs)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [s, e] of intervals) {
    if (s > curEnd) {
      if (curEnd > curStart) covered += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else curEnd = Math.max(curEnd, e);
  }
  if (curEnd > curStart) covered += curEnd - curStart;
  return Math.max(0, node.durationUs - covered);
}

/**
 * The critical path of one root's tree, as sections newest first (iterative, no recursion).
 * Each span's clipped children are sorted once; a span the path comes back to resumes its
 * scan after the child just taken (the time it leaves the span only decreases), so the walk
 * is O(n log n) for any shape, and a zero-length child is taken once.
 */
function pathFrom(model: TraceModel, root: number): CriticalSection[] {
  const sections: CriticalSection[] = [];
  const rootNode = model.nodes[root]!;
  const sorted = new Map<number, { index: number; startUs: number; endUs: number }[]>();
  const childrenOf = (index: number) => {
    let list = sorted.get(index);
    if (list === undefined) sorted.set(index, (list = clippedChildren(model, index)));
    return list;
  };
  // Work items: a span, the time the path leaves it (its end, or a child's start), and
  // where in its sorted children to go on.
  const stack: { index: number; untilUs: number; startUs: number; from: number }[] = [
    { index: root, untilUs: rootNode.startUs + rootNode.durationUs, startUs: rootNode.startUs, from: 0 },
  ];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const until = item.untilUs;
    const children = childrenOf(item.index);
    let taken = false;
    for (let k = item.from; k < children.length; k++) {
      const child = children[k]!;
      if (child.endUs > until) continue;
      if (child.endUs < until) sections.push({ index: item.index, startUs: child.endUs, endUs: until });
      // The child's own path, then back in this span before the child started.
      stack.push({ index: item.index, untilUs: child.startUs, startUs: item.startUs, from: k + 1 });
      stack.push({ index: child.index, untilUs: child.endUs, startUs: child.startUs, from: 0 });
      taken = true;
      break;
    }
    if (!taken && until > item.startUs) {
      sections.push({ index: item.index, startUs: item.startUs, endUs: until });
    }
  }
  return sections;
}

/** Self time and critical path of every node of the model. */
export function computeTraceTimes(model: TraceModel): TraceTimes {
  const n = model.nodes.length;
  const selfTimeUs = new Float64Array(n);
  for (let i = 0; i < n; i++) selfTimeUs[i] = selfTime(model, i);
  const criticalUs = new Float64Array(n);
  // The longest root carries the trace; other roots (orphans) are off the path.
  let main = model.roots[0];
  for (const r of model.roots) {
    const node = model.nodes[r]!;
    const best = model.nodes[main!]!;
    if (node.startUs + node.durationUs - node.startUs > best.durationUs) main = r;
  }
  const sections = main === undefined ? [] : pathFrom(model, main);
  for (const s of sections) criticalUs[s.index]! += s.endUs - s.startUs;
  return { selfTimeUs, criticalUs, sections };
}
