/**
 * The trace as the timeline draws it: spans as nodes of a tree (children by start time),
 * a depth-first order computed once, and the visible rows for a set of collapsed nodes.
 * Pure: the input spans are never mutated.
 */
import { isErrorSpan, type ZipkinSpan } from './zipkin-span.js';

/** One span in the tree; indices point into `TraceModel.nodes`. */
export interface TraceNode {
  span: ZipkinSpan;
  index: number;
  parent: number;
  children: number[];
  depth: number;
  service: string;
  name: string;
  startUs: number;
  durationUs: number;
  error: boolean;
}

export interface TraceModel {
  traceId: string;
  nodes: TraceNode[];
  roots: number[];
  /** Node indices in depth-first order. */
  order: Int32Array;
  /** For the node at `order[i]`, the position in `order` just past its subtree. */
  subtreeEnd: Int32Array;
  /** Position of each node in `order`. */
  position: Int32Array;
  startUs: number;
  endUs: number;
  services: string[];
  maxDepth: number;
  errorCount: number;
}

function serviceOf(span: ZipkinSpan): string {
  return span.localEndpoint?.serviceName ?? span.remoteEndpoint?.serviceName ?? 'unknown';
}

/** Builds the tree. A span whose parent is absent is a root; a shared span hangs under its twin. */
export function buildTraceModel(spans: readonly ZipkinSpan[]): TraceModel {
  const sorted = [...spans].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  const nodes: TraceNode[] = sorted.map((span, index) => ({
    span,
    index,
    parent: -1,
    children: [],
    depth: 0,
    service: serviceOf(span),
    name: span.name ?? '',
    startUs: span.timestamp ?? 0,
    durationUs: span.duration ?? 0,
    error: isErrorSpan(span),
  }));
  const byId = new Map<string, number>();
  for (const node of nodes)
    if (!node.span.shared || !byId.has(node.span.id)) byId.set(node.span.id, node.index);
  const roots: number[] = [];
  for (const node of nodes) {
    let parent = -1;
    const twin = byId.get(node.span.id);
    if (node.span.shared && twin !== undefined && twin !== node.index) parent = twin;
    else if (node.span.parentId !== undefined) parent = byId.get(node.span.parentId) ?? -1;
    if (parent === node.index) parent = -1;
    node.parent = parent;
    if (parent < 0) roots.push(node.index);
    else nodes[parent]!.children.push(node.index);
  }
  const order = new Int32Array(nodes.length);
  const subtreeEnd = new Int32Array(nodes.length);
  const position = new Int32Array(nodes.length).fill(-1);
  let next = 0;
  let maxDepth = 0;
  // Iterative depth-first walk: a 10 000-deep chain must not overflow the stack.
  const stack: { node: number; child: number }[] = [];
  const enter = (index: number, depth: number): void => {
    const node = nodes[index]!;
    node.depth = depth;
    maxDepth = Math.max(maxDepth, depth);
    position[index] = next;
    order[next++] = index;
    stack.push({ node: index, child: 0 });
  };
  for (const root of roots) {
    enter(root, 0);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const node = nodes[top.node]!;
      const child = node.children[top.child++];
      if (child === undefined) {
        subtreeEnd[position[top.node]!] = next;
        stack.pop();
      } else if (position[child] === -1) enter(child, node.depth + 1);
    }
  }
  // A parent cycle leaves nodes unvisited: show them as roots rather than lose them.
  for (const node of nodes) {
    if (position[node.index] !== -1) continue;
    node.parent = -1;
    roots.push(node.index);
    position[node.index] = next;
    order[next] = node.index;
    subtreeEnd[next] = next + 1;
    next++;
  }
  let startUs = Infinity;
  let endUs = -Infinity;
  const services = new Set<string>();
  let errorCount = 0;
  for (const node of nodes) {
    services.add(node.service);
    if (node.error) errorCount++;
    if (node.span.timestamp === undefined) continue;
    startUs = Math.min(startUs, node.startUs);
    endUs = Math.max(endUs, node.startUs + node.durationUs);
  }
  if (startUs === Infinity) startUs = endUs = 0;
  return {
    traceId: sorted[0]?.traceId ?? '',
    nodes,
    roots,
    order,
    subtreeEnd,
    position,
    startUs,
    endUs,
    services: [...services].sort(),
    maxDepth,
    errorCount,
  };
}

/** Node indices of the visible rows, depth-first, skipping the subtrees of collapsed nodes. */
export function visibleRows(model: TraceModel, collapsed: ReadonlySet<number>): Int32Array {
  const rows = new Int32Array(model.order.length);
  let count = 0;
  for (let i = 0; i < model.order.length;) {
    const index = model.order[i]!;
    rows[count++] = index;
    i = collapsed.has(index) ? model.subtreeEnd[i]! : i + 1;
  }
  return rows.subarray(0, count);
}

/** The node indices from a root down to `index` (inclusive). */
export function ancestors(model: TraceModel, index: number): number[] {
  const path: number[] = [];
  for (let i = index; i >= 0; i = model.nodes[i]!.parent) path.unshift(i);
  return path;
}

/** Collapsed set with every node at `depth` or deeper collapsed (those with children). */
export function collapseBelow(model: TraceModel, depth: number): Set<number> {
  const set = new Set<number>();
  for (const node of model.nodes) if (node.depth >= depth && node.children.length > 0) set.add(node.index);
  return set;
}
