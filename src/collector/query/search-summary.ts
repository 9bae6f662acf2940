/**
 * `GET /api/hivelab/trace-summaries`: the web UI's search results, one line per trace,
 * with the parameters and matching of Zipkin's `/api/v2/traces`. A summary is ~330 bytes
 * where the trace's spans are ~300 each: 1 000 traces of 8 spans answer 0.33 MB rather
 * than 2.4 MB, which the browser parses in a few ms rather than ~100.
 */
import type { Span } from '../../spans/index.js';
import type { TraceStore } from '../../store/index.js';
import { sendJson } from '../../http/index.js';
import type { Route } from '../http/router.js';
import { parseZipkinTraceQuery } from './params.js';

/** One search result line (times in epoch µs). */
export interface SearchSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  /** Spans per service, most spans first (ties by name). */
  services: { name: string; count: number }[];
}

/** An error span as the UI marks one: Zipkin's `error` tag, or a 5xx HTTP status. */
function isErrorSpan(span: Span): boolean {
  const tags = span.tags;
  if (!tags) return false;
  if (tags.error !== undefined) return true;
  return Number(tags['http.status_code']) >= 500;
}

/** Summarises one trace (spans in any order); the root is the earliest span without a parent in it. Pure. */
export function summarizeForSearch(spans: readonly Span[]): SearchSummary {
  const ids = new Set(spans.map((s) => s.id));
  let root: Span | undefined;
  let startUs = Infinity;
  let endUs = -Infinity;
  let errorCount = 0;
  const perService = new Map<string, number>();
  for (const span of spans) {
    const service = span.localEndpoint?.serviceName ?? 'unknown';
    perService.set(service, (perService.get(service) ?? 0) + 1);
    if (isErrorSpan(span)) errorCount++;
    if (span.timestamp !== undefined) {
      startUs = Math.min(startUs, span.timestamp);
      endUs = Math.max(endUs, span.timestamp + (span.duration ?? 0));
    }
    const isRoot = span.parentId === undefined || !ids.has(span.parentId);
    if (isRoot && (root === undefined || (span.timestamp ?? Infinity) < (root.timestamp ?? Infinity)))
      root = span;
  }
  if (startUs === Infinity) startUs = endUs = 0;
  return {
    traceId: spans[0]?.traceId ?? '',
    rootService: root?.localEndpoint?.serviceName ?? 'unknown',
    rootName: root?.name ?? '',
    startUs,
    durationUs: endUs - startUs,
    spanCount: spans.length,
    errorCount,
    services: [...perService]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
  };
}

/** The route over `store`; `now` gives epoch milliseconds. */
export function searchSummaryRoutes(store: TraceStore, now: () => number): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/hivelab/trace-summaries',
      handler: async (_req, res, { query }) => {
        const traces = await store.findTraces(parseZipkinTraceQuery(query, now()));
        sendJson(res, 200, traces.map(summarizeForSearch));
      },
    },
  ];
}
