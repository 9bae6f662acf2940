/**
 * Pure: the trace context of a sidecar stream from its header dumps. The request dump
 * holds what the caller sent; the router dump what Envoy forwards. When Envoy's own tracer
 * is on, the forwarded span id differs from the received one: it is the sidecar's span,
 * child of the received one, and the application's spans below it nest under it.
 */
import { extractTraceContext } from '../../spans/index.js';
import type { StreamTraceContext } from './sidecar-stream.js';

/** The sidecar's place in a trace, or `undefined` when neither dump carries one. */
export function traceContextOfDumps(
  request: Record<string, string>,
  router: Record<string, string>,
): StreamTraceContext | undefined {
  const received = extractTraceContext(request);
  const forwarded = extractTraceContext(router);
  if (received !== undefined) {
    const trace: StreamTraceContext = { traceId: received.traceId, parentId: received.spanId };
    if (
      forwarded !== undefined &&
      forwarded.traceId === received.traceId &&
      forwarded.spanId !== received.spanId
    ) {
      trace.spanId = forwarded.spanId;
    }
    return trace;
  }
  if (forwarded === undefined) return undefined;
  // Envoy started the trace here (an ingress): its span is the forwarded one.
  const trace: StreamTraceContext = { traceId: forwarded.traceId, spanId: forwarded.spanId };
  if (forwarded.parentSpanId !== undefined) trace.parentId = forwarded.parentSpanId;
  return trace;
}
