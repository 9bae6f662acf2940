/**
 * A Zipkin v2 query API (a hivelab collector, or Zipkin itself) as a source: searches
 * `/api/v2/traces` page by page, newest first, and reads `/api/v2/trace/{id}`.
 */
import { zipkinSpansFromJson, type Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary } from '../../store/index.js';
import { mergeSpans } from '../../store/index.js';
import { apiUrl, baseUrl, getJson } from './http-json.js';
import { pagedSummaries } from './remote-paging.js';
import type { SourceQuery, TimeWindow, TraceSource } from './trace-source.js';

/** A window "since ever" for remote searches without one. */
export function everything(nowMs: number): TimeWindow {
  return { startUs: 946_684_800_000_000, endUs: (nowMs + 86_400_000) * 1000 };
}

function decodeTrace(raw: unknown): Span[] {
  // The server validated these once; a span it kept that we cannot read is skipped.
  return zipkinSpansFromJson(raw, { nowUs: (Date.now() + 86_400_000 * 365) * 1000 }).spans;
}

export class ZipkinSource implements TraceSource {
  readonly description: string;
  readonly #base: URL;
  readonly #pageSize: number | undefined;

  constructor(url: string, options: { pageSize?: number } = {}) {
    this.#base = baseUrl(url, ['/api/v2/traces', '/api/v2', '/zipkin']);
    if (url.replace(/\/+$/, '').endsWith('/zipkin')) this.#base.pathname += '/zipkin';
    this.description = `the Zipkin API at ${this.#base.toString()}`;
    this.#pageSize = options.pageSize;
  }

  summaries(query: SourceQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    const fetchPage = async (startUs: number, endUs: number, limit: number): Promise<Span[][]> => {
      const endTs = Math.floor(endUs / 1000);
      const url = apiUrl(this.#base, '/api/v2/traces', {
        serviceName: query.service?.toLowerCase(),
        spanName: query.operation?.toLowerCase(),
        endTs,
        lookback: Math.max(1, endTs - Math.floor(startUs / 1000) + 1),
        limit,
      });
      const body = await getJson(url, this.description);
      if (!Array.isArray(body)) throw new Error(`${url.toString()} did not answer a list of traces`);
      return body.map(decodeTrace);
    };
    return pagedSummaries(fetchPage, summarizer, {
      window: query.window ?? everything(Date.now()),
      ...(this.#pageSize !== undefined ? { pageSize: this.#pageSize } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    });
  }

  async getTrace(traceId: string): Promise<Span[]> {
    const url = apiUrl(this.#base, `/api/v2/trace/${encodeURIComponent(traceId)}`);
    const body = await getJson(url, this.description, true);
    if (body === undefined) return [];
    return mergeSpans(decodeTrace(body)).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
