/**
 * Merging of spans reported more than once, as Zipkin's `Trace.merge` does: reports of the
 * same span (same id, same kind, same local service) become one span, their fields filled
 * from each other and their annotations and tags united. The client and server halves of a
 * shared RPC span keep the same id but differ in kind, so both are kept.
 */
import type { Annotation, Span } from '../spans/index.js';

function mergeKey(span: Span): string {
  return `${span.id}|${span.kind ?? ''}|${span.shared === true ? 's' : ''}|${
    span.localEndpoint?.serviceName ?? ''
  }`;
}

function mergeAnnotations(a: Annotation[] | undefined, b: Annotation[] | undefined): Annotation[] {
  const seen = new Set<string>();
  const out: Annotation[] = [];
  for (const annotation of [...(a ?? []), ...(b ?? [])]) {
    const key = `${annotation.timestamp}|${annotation.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(annotation);
  }
  return out.sort((x, y) => x.timestamp - y.timestamp);
}

function mergeTwo(first: Span, second: Span): Span {
  const merged: Span = { ...second, ...first };
  // A later report can carry the duration the first one lacked (start, then finish).
  if (first.duration === undefined && second.duration !== undefined) {
    merged.duration = second.duration;
  }
  const annotations = mergeAnnotations(first.annotations, second.annotations);
  if (annotations.length > 0) merged.annotations = annotations;
  if (first.tags !== undefined || second.tags !== undefined) {
    merged.tags = { ...second.tags, ...first.tags };
  }
  return merged;
}

/** The spans with repeated reports merged, in first-seen order; the input is not mutated. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const byKey = new Map<string, Span>();
  for (const span of spans) {
    const key = mergeKey(span);
    const existing = byKey.get(key);
    byKey.set(key, existing === undefined ? span : mergeTwo(existing, span));
  }
  return [...byKey.values()];
}
