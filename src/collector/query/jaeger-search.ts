/**
 * Jaeger's search rule for `/api/traces` and `/api/v3/…`: a trace matches when ONE span
 * has the service, the operation, a duration within the bounds and every tag (span tags,
 * `span.kind`, `peer.*`, log fields), as Jaeger's storages check it. The store applies
 * Zipkin's looser rule (different spans may meet different criteria), which finds a
 * superset; this module asks for more traces when needed, keeps those that match by
 * Jaeger's rule, then applies Jaeger's `offset`, `orderBy` and `direction`.
 */
import { HttpError } from '../../errors.js';
import type { Span } from '../../spans/index.js';
import { traceTimestampUs, type TraceQuery, type TraceStore } from '../../store/index.js';

/** How many traces the store is asked for at most when Jaeger's rule narrows the result. */
export const MAX_CANDIDATE_TRACES = 10_000;

/** Jaeger's paging and ordering parameters (seed 004 documents them). */
export interface JaegerPaging {
  offset: number;
  orderBy: 'startTime' | 'duration';
  direction: 'asc' | 'desc';
}

function lower(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}

function spanTagValue(span: Span, key: string): string | undefined {
  const tags = span.tags ?? {};
  if (key in tags)
    return key === 'error' && (tags.error === '' || tags.error === undefined) ? 'true' : tags[key];
  if (key === 'span.kind') return span.kind?.toLowerCase();
  if (key === 'peer.service') return span.remoteEndpoint?.serviceName;
  if (key === 'peer.ipv4') return span.remoteEndpoint?.ipv4;
  if (key === 'peer.ipv6') return span.remoteEndpoint?.ipv6;
  if (key === 'peer.port') return span.remoteEndpoint?.port?.toString();
  return undefined;
}

function tagMatches(span: Span, key: string, wanted: string): boolean {
  if (key === 'error' && span.tags?.error !== undefined && (wanted === 'true' || wanted === '')) return true;
  if (key === 'event' && (span.annotations ?? []).some((a) => a.value === wanted)) return true;
  const value = spanTagValue(span, key);
  return value !== undefined && (wanted === '' || value === wanted);
}

/** True when one span of the trace meets every criterion of `query` at once. */
export function matchesOnOneSpan(spans: readonly Span[], query: TraceQuery): boolean {
  const service = lower(query.serviceName);
  const operation = lower(query.spanName);
  const tags = Object.entries(query.annotationQuery ?? {});
  return spans.some((span) => {
    if (service !== undefined && lower(span.localEndpoint?.serviceName) !== service) return false;
    if (operation !== undefined && lower(span.name) !== operation) return false;
    const d = span.duration ?? 0;
    if (query.minDurationUs !== undefined && d < query.minDurationUs) return false;
    if (query.maxDurationUs !== undefined && d > query.maxDurationUs) return false;
    return tags.every(([k, v]) => tagMatches(span, k, v));
  });
}

/** `offset`, `orderBy` (`startTime`|`duration`) and `direction` (`asc`|`desc`); 400 when malformed. */
export function parseJaegerPaging(query: URLSearchParams): JaegerPaging {
  const rawOffset = query.get('offset')?.trim() ?? '';
  const offset = rawOffset === '' ? 0 : Number(rawOffset);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new HttpError(400, `invalid offset "${rawOffset}": expected a count of traces >= 0`);
  }
  const orderBy = query.get('orderBy')?.trim() || 'startTime';
  if (orderBy !== 'startTime' && orderBy !== 'duration') {
    throw new HttpError(400, `invalid orderBy "${orderBy}": expected startTime or duration`);
  }
  const direction = (query.get('direction')?.trim() || 'desc').toLowerCase();
  if (direction !== 'asc' && direction !== 'desc') {
    throw new HttpError(400, `invalid direction "${direction}": expected asc or desc`);
  }
  return { offset, orderBy, direction };
}

function traceDurationUs(spans: readonly Span[]): number {
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    if (s.timestamp === undefined) continue;
    start = Math.min(start, s.timestamp);
    end = Math.max(end, s.timestamp + (s.duration ?? 0));
  }
  return end >= start ? end - start : 0;
}

/** Keys Jaeger matches that are not stored tags (they come from the span's own fields). */
const DERIVED_KEYS = new Set(['span.kind', 'peer.service', 'peer.ipv4', 'peer.ipv6', 'peer.port', 'event']);

/**
 * The store's pre-filter: Jaeger's terms minus the derived keys, and `error=true` as "has
 * an error tag" (hivelab keeps the error message as the tag's value).
 */
function storeQuery(query: TraceQuery): TraceQuery {
  if (query.annotationQuery === undefined) return query;
  const terms: Record<string, string> = {};
  for (const [k, v] of Object.entries(query.annotationQuery)) {
    if (DERIVED_KEYS.has(k)) continue;
    terms[k] = k === 'error' && v === 'true' ? '' : v;
  }
  const { annotationQuery: _dropped, ...rest } = query;
  return Object.keys(terms).length > 0 ? { ...rest, annotationQuery: terms } : rest;
}

/** Traces matching `query` by Jaeger's rule, paged and ordered. */
export async function findJaegerTraces(
  store: TraceStore,
  query: TraceQuery,
  paging: JaegerPaging = { offset: 0, orderBy: 'startTime', direction: 'desc' },
): Promise<Span[][]> {
  const wanted = query.limit + paging.offset;
  const narrows =
    query.spanName !== undefined ||
    query.minDurationUs !== undefined ||
    query.maxDurationUs !== undefined ||
    Object.keys(query.annotationQuery ?? {}).length > 0;
  // Zipkin's rule and Jaeger's agree on a service alone; otherwise over-fetch and filter.
  const limit = narrows ? Math.min(MAX_CANDIDATE_TRACES, Math.max(wanted * 10, 1000)) : wanted;
  const candidates = await store.findTraces({ ...storeQuery(query), limit });
  const matched = narrows ? candidates.filter((t) => matchesOnOneSpan(t, query)) : candidates;
  const key = paging.orderBy === 'duration' ? traceDurationUs : traceTimestampUs;
  const sign = paging.direction === 'asc' ? 1 : -1;
  const ordered =
    paging.orderBy === 'startTime' && paging.direction === 'desc'
      ? matched
      : [...matched].sort((a, b) => sign * (key(a) - key(b)));
  return ordered.slice(paging.offset, paging.offset + query.limit);
}
