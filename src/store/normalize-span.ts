/**
 * Zipkin lower-cases service names and span names when a span is built (its `Endpoint` and
 * `Span` builders do), and lower-cases the same fields of a query, so "Frontend" and
 * "frontend" are one service. Stores apply this on the way in; queries on the way in too.
 */
import type { Endpoint, Span } from '../spans/index.js';
import type { TraceQuery } from './trace-store.js';

function lowerEndpoint(endpoint: Endpoint | undefined): Endpoint | undefined {
  const name = endpoint?.serviceName;
  if (endpoint === undefined || name === undefined) return endpoint;
  const lower = name.toLowerCase();
  return lower === name ? endpoint : { ...endpoint, serviceName: lower };
}

/** The span with service and span names lower-cased; the input is never mutated. */
export function normalizeSpan(span: Span): Span {
  const name = span.name?.toLowerCase();
  const local = lowerEndpoint(span.localEndpoint);
  const remote = lowerEndpoint(span.remoteEndpoint);
  if (name === span.name && local === span.localEndpoint && remote === span.remoteEndpoint) {
    return span;
  }
  const out: Span = { ...span };
  if (name !== undefined) out.name = name;
  if (local !== undefined) out.localEndpoint = local;
  if (remote !== undefined) out.remoteEndpoint = remote;
  return out;
}

/** The query with its service and span names lower-cased, as Zipkin's `QueryRequest` does. */
export function normalizeQuery(query: TraceQuery): TraceQuery {
  const out: TraceQuery = { ...query };
  if (query.serviceName !== undefined) out.serviceName = query.serviceName.toLowerCase();
  if (query.remoteServiceName !== undefined) {
    out.remoteServiceName = query.remoteServiceName.toLowerCase();
  }
  if (query.spanName !== undefined) out.spanName = query.spanName.toLowerCase();
  return out;
}
