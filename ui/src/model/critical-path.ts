/**
 * Self time and critical path of a trace, computed in the browser (in a worker, see
 * views/trace/times-worker.ts) when the analyzer's `/api/hivelab/traces/{id}/analysis` is not
 * available. Pure; the rules follow Jaeger UI's critical path (from the root, the
 * last-finishing child, then walking back to the latest child that ended before the one just
 * taken started), with children clipped to their parent's window and PRODUCER/CONSUMER
 * children treated as not blocking. Works on typed arrays (`TimesGraph`) so the graph goes to
 * a worker and the times come back without copying objects.
 */
import type { TraceModel } from './trace-model.js';

/** A stretch of time the critical path spends in one span. */
export interface CriticalSection {
  index: number;
  startUs: number;
  endUs: number;
}

/** What the times need of a trace: per node, its window, whether it blocks, its children. */
export interface TimesGraph {
  startUs: Float64Array;
  durationUs: Float64Array;
  /** 1 when the node blocks its parent (not PRODUCER or CONSUMER). */
  blocking: Uint8Array;
  /** Children of node i are `childList[childFrom[i] .. childFrom[i + 1])`, in model order. */
  childFrom: Int32Array;
  childList: Int32Array;
  roots: Int32Array;
}

export interface TraceTimes {
  /** Per node: duration minus the union of its children's intervals, clipped to it. */
  selfTimeUs: Float64Array;
  /** Per node: time of the critical path spent in that span. */
  criticalUs: Float64Array;
  /** Sections of node i are `[sectionFrom[i], sectionFrom[i + 1])` of the two arrays below. */
  sectionFrom: Int32Array;
  sectionStartUs: Float64Array;
  sectionEndUs: Float64Array;
}

/** The graph of a model (O(n), no span objects). */
export function timesGraph(model: TraceModel): TimesGraph {
  const n = model.nodes.length;
  const startUs = new Float64Array(n);
  const durationUs = new Float64Array(n);
  const blocking = new Uint8Array(n);
  const childFrom = new Int32Array(n + 1);
  let edges = 0;
  for (const node of model.nodes) edges += node.children.length;
  const childList = new Int32Array(edges);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const node = model.nodes[i]!;
    startUs[i] = node.startUs;
    durationUs[i] = node.durationUs;
    blocking[i] = node.span.kind === 'PRODUCER' || node.span.kind === 'CONSUMER' ? 0 : 1;
    childFrom[i] = k;
    for (const c of node.children) childList[k++] = c;
  }
  childFrom[n] = k;
  return { startUs, durationUs, blocking, childFrom, childList, roots: Int32Array.from(model.roots) };
}

/** Times with nothing known yet (all zero, no sections): what the page shows first. */
export function emptyTimes(n: number): TraceTimes {
  return {
    selfTimeUs: new Float64Array(n),
    criticalUs: new Float64Array(n),
    sectionFrom: new Int32Array(n + 1),
    sectionStartUs: new Float64Array(0),
    sectionEndUs: new Float64Array(0),
  };
}

/** The critical-path sections of node `index`. */
export function sectionsOf(times: TraceTimes, index: number): CriticalSection[] {
  const out: CriticalSection[] = [];
  const end = times.sectionFrom[index + 1] ?? 0;
  for (let k = times.sectionFrom[index] ?? 0; k < end; k++)
    out.push({ index, startUs: times.sectionStartUs[k]!, endUs: times.sectionEndUs[k]! });
  return out;
}

/** Times from per-node self and critical time and a list of sections (any order). */
export function timesFromSections(
  selfTimeUs: Float64Array,
  criticalUs: Float64Array,
  sections: readonly CriticalSection[],
): TraceTimes {
  const n = selfTimeUs.length;
  const sectionFrom = new Int32Array(n + 1);
  for (const s of sections) sectionFrom[s.index + 1]!++;
  for (let i = 0; i < n; i++) sectionFrom[i + 1]! += sectionFrom[i]!;
  const fill = sectionFrom.slice(0, n);
  const sectionStartUs = new Float64Array(sections.length);
  const sectionEndUs = new Float64Array(sections.length);
  for (const s of sections) {
    const k = fill[s.index]!++;
    sectionStartUs[k] = s.startUs;
    sectionEndUs[k] = s.endUs;
  }
  return { selfTimeUs, criticalUs, sectionFrom, sectionStartUs, sectionEndUs };
}

/** Duration minus the union of the children's intervals clipped to the node. */
function selfTime(g: TimesGraph, index: number): number {
  const start = g.startUs[index]!;
  const end = start + g.durationUs[index]!;
  const from = g.childFrom[index]!;
  const to = g.childFrom[index + 1]!;
  if (from === to) return g.durationUs[index]!;
  const intervals: [number, number][] = [];
  for (let k = from; k < to; k++) {
    const c = g.childList[k]!;
    const s = Math.max(start, g.startUs[c]!);
    const e = Math.min(end, g.startUs[c]! + g.durationUs[c]!);
    if (e > s) intervals.push([s, e]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
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
  return Math.max(0, g.durationUs[index]! - covered);
}

interface Clipped {
  index: number;
  startUs: number;
  endUs: number;
}

/** Blocking children clipped to the parent's window, wholly-outside ones dropped, by end descending. */
function clippedChildren(g: TimesGraph, index: number): Clipped[] {
  const pStart = g.startUs[index]!;
  const pEnd = pStart + g.durationUs[index]!;
  const out: Clipped[] = [];
  for (let k = g.childFrom[index]!; k < g.childFrom[index + 1]!; k++) {
    const c = g.childList[k]!;
    if (g.blocking[c] === 0) continue;
    const cStart = g.startUs[c]!;
    const cEnd = cStart + g.durationUs[c]!;
    const startUs = Math.max(pStart, cStart);
    const endUs = Math.min(pEnd, cEnd);
    if (endUs < startUs || cStart > pEnd || cEnd < pStart) continue;
    out.push({ index: c, startUs, endUs });
  }
  return out.sort((a, b) => b.endUs - a.endUs);
}

/**
 * The critical path of one root's tree, as sections newest first (iterative, no recursion).
 * Each span's clipped children are sorted once; a span the path comes back to resumes its
 * scan after the child just taken (the time it leaves the span only decreases), so the walk
 * is O(n log n) for any shape, and a zero-length child is taken once.
 */
function pathFrom(g: TimesGraph, root: number): CriticalSection[] {
  const sections: CriticalSection[] = [];
  const sorted = new Map<number, Clipped[]>();
  const childrenOf = (index: number): Clipped[] => {
    let list = sorted.get(index);
    if (list === undefined) sorted.set(index, (list = clippedChildren(g, index)));
    return list;
  };
  // Work items: a span, the time the path leaves it (its end, or a child's start), and
  // where in its sorted children to go on.
  const rootStart = g.startUs[root]!;
  const stack: { index: number; untilUs: number; startUs: number; from: number }[] = [
    { index: root, untilUs: rootStart + g.durationUs[root]!, startUs: rootStart, from: 0 },
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

/** Self time and critical path of every node of the graph. */
export function computeTimes(g: TimesGraph): TraceTimes {
  const n = g.startUs.length;
  const selfTimeUs = new Float64Array(n);
  for (let i = 0; i < n; i++) selfTimeUs[i] = selfTime(g, i);
  const criticalUs = new Float64Array(n);
  // The longest root carries the trace; other roots (orphans) are off the path.
  let main = g.roots[0];
  for (const r of g.roots) if (g.durationUs[r]! > g.durationUs[main!]!) main = r;
  const sections = main === undefined ? [] : pathFrom(g, main);
  for (const s of sections) criticalUs[s.index]! += s.endUs - s.startUs;
  return timesFromSections(selfTimeUs, criticalUs, sections);
}

/** Self time and critical path of every node of the model. */
export function computeTraceTimes(model: TraceModel): TraceTimes {
  return computeTimes(timesGraph(model));
}
