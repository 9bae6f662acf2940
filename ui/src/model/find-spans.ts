/** Find-in-trace: the nodes whose service, name, ids or tags contain the text. Pure. */
import type { TraceModel } from './trace-model.js';

/** Matching node indices in depth-first order; empty for blank text. */
export function findSpans(model: TraceModel, text: string): number[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const out: number[] = [];
  for (const index of model.order) {
    const node = model.nodes[index]!;
    const span = node.span;
    const hay = [node.service, node.name, span.id, span.remoteEndpoint?.serviceName ?? ''];
    for (const [k, v] of Object.entries(span.tags ?? {})) hay.push(k, v, `${k}=${v}`);
    for (const a of span.annotations ?? []) hay.push(a.value);
    if (hay.some((h) => h.toLowerCase().includes(needle))) out.push(index);
  }
  return out;
}
