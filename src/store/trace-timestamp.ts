/**
 * The timestamp that places a trace in time, as Zipkin's `QueryRequest.test` computes it:
 * the root span's timestamp when the root has one, otherwise the earliest span timestamp.
 */
import type { Span } from '../spans/index.js';

/** Epoch microseconds of the trace, or 0 when no span has a timestamp. */
export function traceTimestampUs(spans: readonly Span[]): number {
  let earliest = 0;
  for (const span of spans) {
    const ts = span.timestamp ?? 0;
    if (ts === 0) continue;
    if (span.parentId === undefined) return ts;
    if (earliest === 0 || ts < earliest) earliest = ts;
  }
  return earliest;
}

/** Newest first, by `traceTimestampUs`; ties broken by trace id so the order is stable. */
export function compareTracesNewestFirst(a: readonly Span[], b: readonly Span[]): number {
  const diff = traceTimestampUs(b) - traceTimestampUs(a);
  if (diff !== 0) return diff;
  const idA = a[0]?.traceId ?? '';
  const idB = b[0]?.traceId ?? '';
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** Spans of one trace in start order (spans without a timestamp first, as Zipkin sorts). */
export function sortByTimestamp(spans: Span[]): Span[] {
  return spans.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
