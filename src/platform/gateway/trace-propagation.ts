/**
 * The gateway's use of trace propagation (`spans/`): continue the caller's trace (W3C or
 * B3) or start one, and pass the context on to the instance.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { extractTraceContext, injectTraceContext, newSpanId, newTraceId } from '../../spans/index.js';

export interface IncomingTrace {
  traceId: string;
  /** The caller's span, parent of the gateway's SERVER span. */
  parentId: string | undefined;
  /** False only when the caller said not to sample. */
  sampled: boolean;
  /** W3C `tracestate`, passed through. */
  traceState: string | undefined;
}

export { newSpanId };

/**
 * Headers without which `extractTraceContext` finds no context (W3C, B3 single, B3 multi).
 * Node lower-cases incoming header names, so a plain property check is exact.
 */
const CONTEXT_KEYS = ['traceparent', 'b3', 'x-b3-traceid'] as const;

/** The caller's trace context, or a new trace. */
export function incomingTrace(headers: IncomingHttpHeaders): IncomingTrace {
  // Most callers send none: skip the extractor's case-insensitive scans of every header.
  const ctx = CONTEXT_KEYS.some((key) => headers[key] !== undefined)
    ? extractTraceContext(headers)
    : undefined;
  if (!ctx) return { traceId: newTraceId(), parentId: undefined, sampled: true, traceState: undefined };
  return {
    traceId: ctx.traceId,
    parentId: ctx.spanId,
    sampled: ctx.sampled !== false,
    traceState: ctx.traceState,
  };
}

/** Trace headers of the request to the instance: `spanId` (the CLIENT span) is its parent. */
export function propagationHeaders(
  trace: IncomingTrace,
  spanId: string,
  parentId: string,
): Record<string, string> {
  // Every form the caller may have used is overwritten, so the instance never sees two contexts.
  const headers: Record<string, string> = {
    b3: `${trace.traceId}-${spanId}-${trace.sampled ? '1' : '0'}-${parentId}`,
  };
  injectTraceContext(
    {
      traceId: trace.traceId,
      spanId,
      parentSpanId: parentId,
      sampled: trace.sampled,
      ...(trace.traceState ? { traceState: trace.traceState } : {}),
    },
    headers,
  );
  // Header names lower-cased: HTTP/2 requires it, and it lets these replace the caller's.
  const lower: Record<string, string> = {};
  for (const key in headers) lower[key.toLowerCase()] = headers[key]!;
  return lower;
}
