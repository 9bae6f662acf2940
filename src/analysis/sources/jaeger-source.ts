/**
 * A Jaeger query API as a source (`--jaeger URL`, base paths such as `/jaeger` kept, as
 * seed 004 queries `http://host:port/jaeger/api/traces`). Jaeger searches need a service:
 * without `--service`, every service of `/api/services` is searched and repeats skipped.
 */
import type { Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary } from '../../store/index.js';
import { mergeSpans } from '../../store/index.js';
import { apiUrl, baseUrl, getJson } from './http-json.js';
import { spansFromJaegerTrace } from './jaeger-decode.js';
import { pagedSummaries } from './remote-paging.js';
import type { SourceQuery, TraceSource } from './trace-source.js';
import { everything } from './zipkin-source.js';

function dataOf(body: unknown, url: URL): unknown[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error(`${url.toString()} did not answer Jaeger's {"data":[…]}`);
  return data;
}

export class JaegerSource implements TraceSource {
  readonly description: string;
  readonly #base: URL;
  readonly #pageSize: number | undefined;

  constructor(url: string, options: { pageSize?: number } = {}) {
    this.#base = baseUrl(url, ['/api/traces', '/api']);
    this.description = `the Jaeger API at ${this.#base.toString()}`;
    this.#pageSize = options.pageSize;
  }

  async #services(): Promise<string[]> {
    const url = apiUrl(this.#base, '/api/services');
    return dataOf(await getJson(url, this.description), url).filter(
      (s): s is string => typeof s === 'string',
    );
  }

  async *summaries(query: SourceQuery, summarizer: TraceSummarizer): AsyncIterable<TraceSummary[]> {
    const services = query.service !== undefined ? [query.service] : await this.#services();
    const seen = new Set<string>();
    let left = query.limit ?? Infinity;
    for (const service of services) {
      if (left <= 0) return;
      const fetchPage = async (startUs: number, endUs: number, limit: number): Promise<Span[][]> => {
        const url = apiUrl(this.#base, '/api/traces', {
          service,
          operation: query.operation,
          start: startUs,
          end: endUs,
          limit,
        });
        return dataOf(await getJson(url, this.description), url).map((t) => spansFromJaegerTrace(t).spans);
      };
      const pages = pagedSummaries(fetchPage, summarizer, {
        window: query.window ?? everything(Date.now()),
        seen,
        ...(this.#pageSize !== undefined ? { pageSize: this.#pageSize } : {}),
        ...(left !== Infinity ? { limit: left } : {}),
      });
      for await (const page of pages) {
        left -= page.length;
        yield page;
      }
    }
  }

  async getTrace(traceId: string): Promise<Span[]> {
    const url = apiUrl(this.#base, `/api/traces/${encodeURIComponent(traceId)}`);
    const body = await getJson(url, this.description, true);
    if (body === undefined) return [];
    const spans = dataOf(body, url).flatMap((t) => spansFromJaegerTrace(t).spans);
    return mergeSpans(spans).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
