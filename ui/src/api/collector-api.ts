/** The collector calls the UI makes (Zipkin v2 API and hivelab's own `/api/hivelab/…`). */
import type { TraceSummary } from '../model/trace-summary.js';
import type { DependencyLink, ZipkinSpan } from '../model/zipkin-span.js';
import { takeEarly } from './early-requests.js';
import { fetchJson } from './fetch-json.js';

export interface TraceSearch {
  serviceName?: string;
  spanName?: string;
  annotationQuery?: string;
  minDurationUs?: number;
  maxDurationUs?: number;
  lookbackMs: number;
  limit: number;
  endTsMs?: number;
}

function qs(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

/** Zipkin's `/api/v2/traces` parameters. */
function searchQuery(s: TraceSearch): string {
  return qs({
    serviceName: s.serviceName,
    spanName: s.spanName,
    annotationQuery: s.annotationQuery,
    minDuration: s.minDurationUs,
    maxDuration: s.maxDurationUs,
    lookback: s.lookbackMs,
    limit: s.limit,
    endTs: s.endTsMs ?? Date.now(),
  });
}

/** Keys of requests started early (see early-requests.ts): a search without its end time. */
export const summariesKey = (s: TraceSearch): string =>
  `summaries:${JSON.stringify({ ...s, endTsMs: undefined })}`;
export const traceKey = (id: string): string => `trace:${id}`;

export const api = {
  services: (): Promise<string[]> => fetchJson('/api/v2/services'),
  spanNames: (service: string): Promise<string[]> =>
    fetchJson(`/api/v2/spans?${qs({ serviceName: service })}`),
  autocompleteKeys: (): Promise<string[]> => fetchJson('/api/v2/autocompleteKeys'),
  autocompleteValues: (key: string): Promise<string[]> =>
    fetchJson(`/api/v2/autocompleteValues?${qs({ key })}`),
  traces: (s: TraceSearch): Promise<ZipkinSpan[][]> => fetchJson(`/api/v2/traces?${searchQuery(s)}`),
  /** Zipkin's `/api/v2/traces` search, answered as one summary per trace rather than every span. */
  traceSummaries: (s: TraceSearch): Promise<TraceSummary[]> =>
    takeEarly<TraceSummary[]>(summariesKey(s)) ?? fetchJson(`/api/hivelab/trace-summaries?${searchQuery(s)}`),
  trace: (id: string): Promise<ZipkinSpan[]> =>
    takeEarly<ZipkinSpan[]>(traceKey(id)) ?? fetchJson(`/api/v2/trace/${encodeURIComponent(id)}`),
  dependencies: (endTsMs: number, lookbackMs: number): Promise<DependencyLink[]> =>
    fetchJson(`/api/v2/dependencies?${qs({ endTs: endTsMs, lookback: lookbackMs })}`),
};
