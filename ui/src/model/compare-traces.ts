/**
 * Two traces of one request type side by side: nodes keyed by their call path
 * (`service:operation` from the root), with count and total time per key in each trace,
 * marked when they changed. Pure.
 */
import type { TraceModel } from './trace-model.js';

export interface ComparedNode {
  /** Call path, e.g. `frontend:GET /hotels > search:Nearby`. */
  path: string;
  depth: number;
  label: string;
  a: { count: number; totalUs: number };
  b: { count: number; totalUs: number };
  change: 'same' | 'added' | 'removed' | 'count' | 'slower' | 'faster';
}

function paths(
  model: TraceModel,
): Map<string, { depth: number; label: string; count: number; totalUs: number; order: number }> {
  const out = new Map<
    string,
    { depth: number; label: string; count: number; totalUs: number; order: number }
  >();
  const keyOf: string[] = [];
  for (let i = 0; i < model.order.length; i++) {
    const index = model.order[i]!;
    const node = model.nodes[index]!;
    const label = `${node.service}:${node.name}`;
    const key = node.parent >= 0 ? `${keyOf[node.parent]} > ${label}` : label;
    keyOf[index] = key;
    const entry = out.get(key) ?? { depth: node.depth, label, count: 0, totalUs: 0, order: i };
    entry.count++;
    entry.totalUs += node.durationUs;
    out.set(key, entry);
  }
  return out;
}

/**
 * Compares the trees; a node is `slower`/`faster` when its total time changed by more
 * than `threshold` (a fraction, @default 0.2) and at least `minUs` (@default 100 µs).
 */
export function compareTraces(a: TraceModel, b: TraceModel, threshold = 0.2, minUs = 100): ComparedNode[] {
  const pa = paths(a);
  const pb = paths(b);
  const keys = [...new Set([...pa.keys(), ...pb.keys()])];
  const orderOf = (k: string): number => pa.get(k)?.order ?? (pb.get(k)?.order ?? 0) + 0.5;
  keys.sort((x, y) => orderOf(x) - orderOf(y));
  return keys.map((path) => {
    const x = pa.get(path);
    const y = pb.get(path);
    const av = { count: x?.count ?? 0, totalUs: x?.totalUs ?? 0 };
    const bv = { count: y?.count ?? 0, totalUs: y?.totalUs ?? 0 };
    let change: ComparedNode['change'] = 'same';
    if (!x) change = 'added';
    else if (!y) change = 'removed';
    else if (av.count !== bv.count) change = 'count';
    else {
      const diff = bv.totalUs - av.totalUs;
      if (Math.abs(diff) >= minUs && Math.abs(diff) > threshold * Math.max(av.totalUs, 1)) {
        change = diff > 0 ? 'slower' : 'faster';
      }
    }
    const meta = (x ?? y)!;
    return { path, depth: meta.depth, label: meta.label, a: av, b: bv, change };
  });
}
