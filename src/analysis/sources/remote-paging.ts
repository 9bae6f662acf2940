/**
 * Paging a remote trace search by time: each page asks for the newest `pageSize` traces
 * ending at a cursor, and the next page ends at the oldest trace of the previous one. Ids
 * already seen are skipped (the boundary millisecond is asked for twice). Pure logic over
 * a `fetchPage` function, so Zipkin and Jaeger share it.
 */
import type { Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary } from '../../store/index.js';
import { mergeSpans, traceTimestampUs } from '../../store/index.js';
import type { TimeWindow } from './trace-source.js';

/** Traces asked for per page. */
export const DEFAULT_PAGE_SIZE = 500;

/** Fetches the newest traces with a timestamp in `[startUs, endUs]` (both µs). */
export type FetchPage = (startUs: number, endUs: number, limit: number) => Promise<Span[][]>;

export interface PagingOptions {
  window: TimeWindow;
  pageSize?: number;
  limit?: number;
  /** Shared across several searches (e.g. one per Jaeger service) to skip repeats. */
  seen?: Set<string>;
}

/** Summaries of every trace the pages return in the window, page by page. */
export async function* pagedSummaries(
  fetchPage: FetchPage,
  summarizer: TraceSummarizer,
  options: PagingOptions,
): AsyncGenerator<TraceSummary[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const seen = options.seen ?? new Set<string>();
  const { startUs } = options.window;
  let endUs = options.window.endUs - 1;
  let left = options.limit ?? Infinity;
  while (left > 0 && endUs >= startUs) {
    const traces = await fetchPage(startUs, endUs, pageSize);
    const out: TraceSummary[] = [];
    let oldestUs = Infinity;
    for (const raw of traces) {
      const spans = mergeSpans(raw).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
      const traceId = spans[0]?.traceId;
      if (traceId === undefined) continue;
      const timestampUs = traceTimestampUs(spans);
      oldestUs = Math.min(oldestUs, timestampUs);
      if (seen.has(traceId)) continue;
      seen.add(traceId);
      if (timestampUs < startUs || timestampUs > endUs || left <= 0) continue;
      out.push({ traceId, timestampUs, ...summarizer.summarize(spans) });
      left -= 1;
    }
    if (out.length > 0) yield out;
    if (traces.length < pageSize || oldestUs === Infinity) return;
    // The next page ends at the oldest trace seen (its millisecond is asked again, and its
    // traces skipped as seen); a page that made no progress steps back one millisecond.
    const nextEndUs = Math.min(oldestUs, endUs);
    endUs = out.length === 0 && nextEndUs >= endUs - 1000 ? endUs - 1000 : nextEndUs;
  }
}
