/**
 * A trace's spans as a tree, built the way Zipkin's `SpanNode.Builder` builds it: the server
 * half of a shared RPC span (same id as its client) hangs under the client; a span's parent is
 * the span whose id is its `parentId`, preferring that span's server half, since calls a
 * service makes are children of the server span that handled the request. Spans whose parent
 * is missing hang under the root (or a synthetic root when there is none).
 */
import type { Span } from '../spans/index.js';

export interface SpanNode {
  /** Undefined only for a synthetic root over a headless or multi-root trace. */
  span: Span | undefined;
  parent: SpanNode | undefined;
  children: SpanNode[];
}

function isServerHalf(span: Span): boolean {
  return span.shared === true || span.kind === 'SERVER';
}

/** Builds the tree; the spans should already be merged (`mergeSpans`). */
export function buildSpanTree(spans: readonly Span[]): SpanNode {
  const nodes = spans.map((span): SpanNode => ({ span, parent: undefined, children: [] }));
  const clientById = new Map<string, SpanNode>();
  const serverById = new Map<string, SpanNode>();
  for (const node of nodes) {
    const span = node.span as Span;
    const index = isServerHalf(span) ? serverById : clientById;
    if (!index.has(span.id)) index.set(span.id, node);
  }

  const roots: SpanNode[] = [];
  for (const node of nodes) {
    const span = node.span as Span;
    let parent: SpanNode | undefined;
    const sameId = clientById.get(span.id);
    if (isServerHalf(span) && sameId !== undefined && sameId !== node) {
      parent = sameId;
    } else if (span.parentId !== undefined) {
      parent = serverById.get(span.parentId) ?? clientById.get(span.parentId);
      if (parent === node) parent = undefined;
    }
    if (parent === undefined) roots.push(node);
    else {
      node.parent = parent;
      parent.children.push(node);
    }
  }

  const single = roots.length === 1 ? roots[0] : undefined;
  if (single !== undefined && single.span?.parentId === undefined) return single;
  const root: SpanNode = { span: undefined, parent: undefined, children: roots };
  for (const node of roots) node.parent = root;
  return root;
}

/** Nodes of the tree, breadth first, root first. */
export function* traverseBreadthFirst(root: SpanNode): Generator<SpanNode> {
  const queue: SpanNode[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as SpanNode;
    yield node;
    queue.push(...node.children);
  }
}
