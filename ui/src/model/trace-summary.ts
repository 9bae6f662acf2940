/**
 * One line of search results per trace (the collector's `/api/hivelab/trace-summaries`
 * computes them, see src/collector/query/search-summary.ts), and the result sorts. Pure.
 */

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
