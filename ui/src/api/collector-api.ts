/** The collector calls the UI makes (Zipkin v2 API and hivelab's own `/api/hivelab/…`). */
import type { DependencyLink, ZipkinSpan } from '../model/zipkin-span.js';
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

export const api = {
  services: (): Promise<string[]> => fetchJson('/api/v2/services'),
  spanNames: (service: string): Promise<string[]> =>
    fetchJson(`/api/v2/spans?${qs({ serviceName: service })}`),
  autocompleteKeys: (): Promise<string[]> => fetchJson('/api/v2/autocompleteKeys'),
  autocompleteValues: (key: string): Promise<string[]> =>
    fetchJson(`/api/v2/autocompleteValues?${qs({ key })}`),
  traces: (s: TraceSearch): Promise<ZipkinSpan[][]> =>
    fetchJson(
      `/api/v2/traces?${qs({
        serviceName: s.serviceName,
        spanName: s.spanName,
        annotationQuery: s.annotationQuery,
        minDuration: s.minDurationUs,
        maxDuration: s.maxDurationUs,
        lookback: s.lookbackMs,
        limit: s.limit,
        endTs: s.endTsMs ?? Date.now(),
      })}`,
    ),
  trace: (id: string): Promise<ZipkinSpan[]> => fetchJson(`/api/v2/trace/${encodeURIComponent(id)}`),
  dependencies: (endTsMs: number, lookbackMs: number): Promise<DependencyLink[]> =>
    fetchJson(`/api/v2/dependencies?${qs({ endTs: endTsMs, lookback: lookbackMs })}`),
};
