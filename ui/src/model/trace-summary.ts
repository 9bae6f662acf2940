/** One line of search results per trace, and the result sorts. Pure. */
import { isErrorSpan, type ZipkinSpan } from './zipkin-span.js';

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
  /** Spans per service, most spans first. */
  services: { name: string; count: number }[];
}

export type SortOrder = 'newest' | 'oldest' | 'longest' | 'shortest' | 'most-spans';

/** Summarises one trace's spans. */
export function summarizeTrace(spans: readonly ZipkinSpan[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.id));
  let root: ZipkinSpan | undefined;
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

/** A sorted copy of `summaries`. */
export function sortSummaries(summaries: readonly TraceSummary[], order: SortOrder): TraceSummary[] {
  const by: Record<SortOrder, (a: TraceSummary, b: TraceSummary) => number> = {
    newest: (a, b) => b.startUs - a.startUs,
    oldest: (a, b) => a.startUs - b.startUs,
    longest: (a, b) => b.durationUs - a.durationUs,
    shortest: (a, b) => a.durationUs - b.durationUs,
    'most-spans': (a, b) => b.spanCount - a.spanCount,
  };
  return [...summaries].sort(by[order]);
}
