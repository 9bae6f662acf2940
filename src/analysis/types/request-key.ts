/**
 * Request-type keys of a trace (pure).
 *
 * - `tree` (default): the shape of the call tree. Nodes are `service:operation`, children in
 *   call order (by start, ties by label); the client and server spans of one call fold into
 *   one node named after the server side; consecutive repeats of the same subtree fold into
 *   one with a count (`recog:classify×6`). Written `a → b` for one child and
 *   `a → [b, c]` for several; a repeated subtree with children is parenthesised.
 * - `root`: the root span's `service:operation`.
 * - `set`: seed 004's key, the sorted set of `service:function` names of the trace, where
 *   function is the span's `function.name` tag when it has one, else its name.
 */
import type { TraceNode, TraceTree } from '../trace/trace-tree.js';

export type KeyKind = 'tree' | 'root' | 'set';

export const KEY_KINDS: readonly KeyKind[] = ['tree', 'root', 'set'];

/** Sidecar stage spans (from the Envoy import) are parts of a call, not calls: no node of their own. */
function isStage(node: TraceNode): boolean {
  return node.span.tags?.['sidecar.stage'] !== undefined;
}

function label(node: TraceNode): string {
  return `${node.service}:${node.operation}`;
}

/** The SERVER child that a CLIENT node's call reached, when there is exactly one. */
export function calledServer(node: TraceNode): TraceNode | undefined {
  if (node.span.kind !== 'CLIENT') return undefined;
  let found: TraceNode | undefined;
  for (const child of node.children) {
    if (child.span.kind === 'SERVER' || child.span.shared === true) {
      if (found !== undefined) return undefined;
      found = child;
    }
  }
  return found;
}

/** A node of the folded call tree: its label and its folded children. */
function foldedChildren(node: TraceNode): { labelNode: TraceNode; children: TraceNode[] } {
  const server = calledServer(node);
  if (server === undefined) return { labelNode: node, children: node.children };
  const others = node.children.filter((c) => c !== server);
  return {
    labelNode: server,
    children: others.length === 0 ? server.children : [...others, ...server.children],
  };
}

function treeKeyOf(node: TraceNode, depth: number): string {
  const { labelNode, children } = foldedChildren(node);
  const name = label(labelNode);
  // Deep chains are cut rather than overflowing the stack (a 10 000-deep trace is broken).
  if (children.every(isStage) || depth > 200) return name;
  const keys = children
    .filter((child) => !isStage(child))
    .sort((a, b) => a.startUs - b.startUs || label(a).localeCompare(label(b)))
    .map((child) => treeKeyOf(child, depth + 1));
  const folded: string[] = [];
  for (let i = 0; i < keys.length;) {
    let j = i + 1;
    while (j < keys.length && keys[j] === keys[i]) j++;
    const key = keys[i] as string;
    const count = j - i;
    folded.push(count === 1 ? key : `${key.includes(' → ') ? `(${key})` : key}×${count}`);
    i = j;
  }
  return folded.length === 1 ? `${name} → ${folded[0]}` : `${name} → [${folded.join(', ')}]`;
}

/** The request type of a trace under `kind`. */
export function requestKey(tree: TraceTree, kind: KeyKind): string {
  switch (kind) {
    case 'tree':
      return treeKeyOf(tree.root, 0);
    case 'root':
      return label(tree.root);
    case 'set': {
      const names = new Set<string>();
      for (const node of tree.nodes) {
        if (isStage(node)) continue;
        names.add(`${node.service}:${node.span.tags?.['function.name'] ?? node.operation}`);
      }
      return [...names].sort().join(',');
    }
  }
}
