/**
 * Whether a trace answers a query: a port of Zipkin's `QueryRequest.test`, the filter that
 * every Zipkin storage applies last (in-memory storage directly, Cassandra after its index
 * look-ups). Pure; every adapter uses it so all adapters agree.
 *
 * Zipkin's rule, followed here: the trace timestamp (root's, else earliest) must fall in
 * the window; then, among the spans whose local service is `serviceName` (every span when
 * no service is given), each criterion must be met by SOME span: spanName, remoteServiceName,
 * each annotationQuery term and the duration bounds may be met by different spans of that
 * service.
 */
import type { Span } from '../spans/index.js';
import type { TraceQuery } from './trace-store.js';
import { traceTimestampUs } from './trace-timestamp.js';

/** True when `timestampUs` is in the query window `(endTs - lookback, endTs]`. */
export function inWindow(timestampUs: number, query: TraceQuery): boolean {
  const endUs = query.endTsMs * 1000;
  return timestampUs > endUs - query.lookbackMs * 1000 && timestampUs <= endUs;
}

function durationMatches(span: Span, query: TraceQuery): boolean {
  const duration = span.duration ?? 0;
  if (query.minDurationUs !== undefined && duration < query.minDurationUs) return false;
  if (query.maxDurationUs !== undefined && duration > query.maxDurationUs) return false;
  return true;
}

/** Removes from `remaining` the annotationQuery terms this span satisfies. */
function consumeAnnotationTerms(span: Span, remaining: Map<string, string>): void {
  for (const annotation of span.annotations ?? []) {
    if (remaining.get(annotation.value) === '') remaining.delete(annotation.value);
  }
  for (const [key, value] of Object.entries(span.tags ?? {})) {
    const wanted = remaining.get(key);
    if (wanted === undefined) continue;
    if (wanted === '' || wanted === value) remaining.delete(key);
  }
}

/**
 * True when the trace matches. Names in `query` must already be lower-case
 * (see `normalizeQuery`), as stored names are.
 */
export function matchesQuery(spans: readonly Span[], query: TraceQuery): boolean {
  const timestamp = traceTimestampUs(spans);
  if (timestamp === 0 || !inWindow(timestamp, query)) return false;

  const wantsDuration = query.minDurationUs !== undefined || query.maxDurationUs !== undefined;
  let serviceSeen = query.serviceName === undefined;
  let remoteMatched = query.remoteServiceName === undefined;
  let nameMatched = query.spanName === undefined;
  let durationMatched = !wantsDuration;
  const remaining = new Map(Object.entries(query.annotationQuery ?? {}));

  for (const span of spans) {
    if (query.serviceName !== undefined && span.localEndpoint?.serviceName !== query.serviceName) {
      continue;
    }
    serviceSeen = true;
    if (remaining.size > 0) consumeAnnotationTerms(span, remaining);
    if (!remoteMatched && span.remoteEndpoint?.serviceName === query.remoteServiceName) {
      remoteMatched = true;
    }
    if (!nameMatched && span.name === query.spanName) nameMatched = true;
    if (!durationMatched && span.duration !== undefined && durationMatches(span, query)) {
      durationMatched = true;
    }
  }
  return serviceSeen && remoteMatched && nameMatched && durationMatched && remaining.size === 0;
}
