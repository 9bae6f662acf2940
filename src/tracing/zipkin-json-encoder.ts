import type { Span } from './span.js';

/**
 * Spans → Zipkin v2 JSON (what `/api/v2/trace/{id}` returns and what `ZipkinReporter`
 * posts). Spans already hold Zipkin's model, so this is `JSON.stringify` with a fixed field
 * order and nothing else leaking through.
 */
export function encodeZipkinJson(spans: readonly Span[]): string {
  return JSON.stringify(spans.map(canonicalSpan));
}

function canonicalSpan(s: Span): Span {
  return {
    traceId: s.traceId,
    parentId: s.parentId,
    id: s.id,
    kind: s.kind,
    name: s.name,
    timestamp: s.timestamp,
    duration: s.duration,
    localEndpoint: s.localEndpoint,
    remoteEndpoint: s.remoteEndpoint,
    annotations: s.annotations && s.annotations.length > 0 ? s.annotations : undefined,
    tags: s.tags && Object.keys(s.tags).length > 0 ? s.tags : undefined,
    debug: s.debug || undefined,
    shared: s.shared || undefined,
  };
}
