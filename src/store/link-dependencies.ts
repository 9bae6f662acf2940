/**
 * Service dependency links from traces: a port of Zipkin's `DependencyLinker`. Pure.
 *
 * Per span, breadth first over the span tree:
 * - a CLIENT span is skipped when a remote span (one with a kind) hangs below it, past local
 *   spans only: its server half, or a nested call, names the callee better. Here this port
 *   differs from Zipkin, which skips a CLIENT span with any children: a call whose only
 *   children are local spans (sidecar stages, a client library's own spans) to a service
 *   that reports nothing lost its link there (the hotel trace's `frontend → profile`);
 * - a span with no kind but both a local and a remote service counts as CLIENT;
 * - SERVER/CONSUMER: child = local service, parent = remote service, or else the service of
 *   the nearest ancestor that has a kind (local spans in between are skipped);
 * - CLIENT/PRODUCER: parent = local service, child = remote service;
 * - messaging spans link only when both sides are known;
 * - a link is an error when the span, or the client half of its RPC, has an `error` tag.
 */
import type { DependencyLink, Span } from '../spans/index.js';
import { mergeSpans } from './merge-spans.js';
import { buildSpanTree, traverseBreadthFirst, type SpanNode } from './span-tree.js';

function firstRemoteAncestor(node: SpanNode): Span | undefined {
  for (let ancestor = node.parent; ancestor !== undefined; ancestor = ancestor.parent) {
    if (ancestor.span?.kind !== undefined) return ancestor.span;
  }
  return undefined;
}

type AddLink = (parent: string, child: string, isError: boolean) => void;

/** True when a span with a kind is below `node`, reached through local (kindless) spans only. */
function hasRemoteBelow(node: SpanNode): boolean {
  const queue = [...node.children];
  for (let i = 0; i < queue.length; i++) {
    const below = queue[i] as SpanNode;
    if (below.span?.kind !== undefined) return true;
    queue.push(...below.children);
  }
  return false;
}

function linkNode(node: SpanNode, root: SpanNode, addLink: AddLink): void {
  const span = node.span;
  if (span === undefined) return;
  let kind = span.kind;
  if (kind === 'CLIENT' && hasRemoteBelow(node)) return;
  const local = span.localEndpoint?.serviceName;
  const remote = span.remoteEndpoint?.serviceName;
  if (kind === undefined) {
    if (local === undefined || remote === undefined) return;
    kind = 'CLIENT';
  }
  const serverSide = kind === 'SERVER' || kind === 'CONSUMER';
  let parent = serverSide ? remote : local;
  const child = serverSide ? local : remote;
  if (serverSide && node === root && parent === undefined) return;

  let isError = span.tags?.error !== undefined;
  if (kind === 'PRODUCER' || kind === 'CONSUMER') {
    if (parent !== undefined && child !== undefined) addLink(parent, child, isError);
    return;
  }

  const ancestor = firstRemoteAncestor(node);
  const ancestorName = ancestor?.localEndpoint?.serviceName;
  if (ancestor !== undefined && ancestorName !== undefined) {
    // A client span whose service differs from its remote ancestor's: backfill that hop.
    if (kind === 'CLIENT' && local !== undefined && ancestorName !== local) {
      addLink(ancestorName, local, false);
    }
    if (kind === 'SERVER' || parent === undefined) parent = ancestorName;
    // The server half of a split RPC inherits the client half's error.
    if (!isError && ancestor.kind === 'CLIENT' && span.parentId === ancestor.id) {
      isError = ancestor.tags?.error !== undefined;
    }
    if (!isError && ancestor.kind === 'CLIENT' && ancestor.id === span.id) {
      isError = ancestor.tags?.error !== undefined;
    }
  }
  if (parent === undefined || child === undefined) return;
  addLink(parent, child, isError);
}

/** Accumulates links over many traces; `links()` returns them sorted by parent, child. */
export class DependencyLinker {
  readonly #links = new Map<string, DependencyLink>();

  /** Adds the links of one trace (its spans, in any order). */
  putTrace(spans: readonly Span[]): this {
    if (spans.length === 0) return this;
    const root = buildSpanTree(mergeSpans(spans));
    const addLink: AddLink = (parent, child, isError) => {
      const key = `${parent}\u0000${child}`;
      const link = this.#links.get(key) ?? { parent, child, callCount: 0, errorCount: 0 };
      link.callCount += 1;
      if (isError) link.errorCount = (link.errorCount ?? 0) + 1;
      this.#links.set(key, link);
    };
    for (const node of traverseBreadthFirst(root)) linkNode(node, root, addLink);
    return this;
  }

  links(): DependencyLink[] {
    return [...this.#links.values()]
      .map((link) => ({ ...link }))
      .sort((a, b) => a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child));
  }
}

/** Links of all the given traces. */
export function linkDependencies(traces: Iterable<readonly Span[]>): DependencyLink[] {
  const linker = new DependencyLinker();
  for (const trace of traces) linker.putTrace(trace);
  return linker.links();
}
