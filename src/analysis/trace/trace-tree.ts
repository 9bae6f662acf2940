/**
 * A trace as the analyses see it: one node per span, children sorted by start, times in
 * epoch µs that later steps may shift (clock skew). Built the way Zipkin's `SpanNode`
 * builder builds it: the server half of a shared RPC span (same id as its client) hangs
 * under the client; a span's parent is the span its `parentId` names, preferring that id's
 * server half; spans whose parent is missing hang under the root. Pure; the spans are not
 * mutated.
 */
import type { Span } from '../../spans/index.js';

/** The tag the Jaeger decoder sets on a span whose reference to its parent is FOLLOWS_FROM. */
export const FOLLOWS_FROM_TAG = 'jaeger.ref_type';
export const FOLLOWS_FROM_VALUE = 'FOLLOWS_FROM';

export interface TraceNode {
  span: Span;
  service: string;
  operation: string;
  /** Epoch µs, after clock-skew adjustment. */
  startUs: number;
  endUs: number;
  parent: TraceNode | undefined;
  /** Sorted by start, then by end. */
  children: TraceNode[];
  /**
   * False for PRODUCER and CONSUMER spans and FOLLOWS_FROM references: their subtree does not
   * hold up the parent (neither its self time nor its critical path).
   */
  blocking: boolean;
  /** True when the span named a parent that is not in the trace. */
  orphan: boolean;
}

export interface TraceTree {
  root: TraceNode;
  /** Every node, root first, parents before children (pre-order). */
  nodes: TraceNode[];
}

function isServerHalf(span: Span): boolean {
  return span.shared === true || span.kind === 'SERVER';
}

function isBlocking(span: Span): boolean {
  if (span.kind === 'PRODUCER' || span.kind === 'CONSUMER') return false;
  return span.tags?.[FOLLOWS_FROM_TAG] !== FOLLOWS_FROM_VALUE;
}

function toNode(span: Span): TraceNode {
  const startUs = span.timestamp ?? 0;
  return {
    span,
    service: span.localEndpoint?.serviceName ?? 'unknown',
    operation: span.name ?? '',
    startUs,
    endUs: startUs + (span.duration ?? 0),
    parent: undefined,
    children: [],
    blocking: isBlocking(span),
    orphan: false,
  };
}

function byStart(a: TraceNode, b: TraceNode): number {
  return a.startUs - b.startUs || a.endUs - b.endUs || (a.span.id < b.span.id ? -1 : 1);
}

/** Builds the tree of a non-empty trace; `undefined` for no spans. */
export function buildTraceTree(spans: readonly Span[]): TraceTree | undefined {
  if (spans.length === 0) return undefined;
  const nodes = spans.map(toNode);
  const clients = new Map<string, TraceNode>();
  const servers = new Map<string, TraceNode>();
  for (const node of nodes) {
    const index = isServerHalf(node.span) ? servers : clients;
    if (!index.has(node.span.id)) index.set(node.span.id, node);
  }
  const roots: TraceNode[] = [];
  for (const node of nodes) {
    const span = node.span;
    let parent: TraceNode | undefined;
    const sameId = clients.get(span.id);
    if (isServerHalf(span) && sameId !== undefined && sameId !== node) parent = sameId;
    else if (span.parentId !== undefined) {
      parent = servers.get(span.parentId) ?? clients.get(span.parentId);
      if (parent === node) parent = undefined;
      if (parent === undefined) node.orphan = true;
    }
    if (parent === undefined) roots.push(node);
    else {
      node.parent = parent;
      parent.children.push(node);
    }
  }
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));
  const root = roots[0] as TraceNode;
  for (const other of roots.slice(1)) {
    other.parent = root;
    root.children.push(other);
  }
  const ordered: TraceNode[] = [];
  const visit = (node: TraceNode): void => {
    node.children.sort(byStart);
    ordered.push(node);
    for (const child of node.children) visit(child);
  };
  visit(root);
  return { root, nodes: ordered };
}

/** Re-sorts every node's children by start (after times were shifted). */
export function resortChildren(tree: TraceTree): void {
  for (const node of tree.nodes) node.children.sort(byStart);
}
