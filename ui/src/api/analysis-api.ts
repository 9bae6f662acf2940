/**
 * The analyzer's answers (`/api/hivelab/…`, shapes of issue #9 section 7). A 404 or 501
 * means the analyzer is not available in this collector: callers show that state or fall
 * back to what the browser can compute.
 */
import { ApiError, fetchJson } from './fetch-json.js';

export interface Stat {
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  std: number;
}

export interface RequestType {
  key: string;
  count: number;
  errorRate: number;
  durationMs: Stat;
  cpuMs: Stat;
  peakMemKb: Stat;
  criticalPath: { service: string; operation: string; medianUs: number }[];
  exampleTraceIds: string[];
}

export interface Anomaly {
  traceId: string;
  type: string;
  metric: 'duration' | 'cpu' | 'memory';
  value: number;
  baseline: { median: number; mad: number; mean: number; std: number; n: number };
  /** null when the trace could not be read again for its culprit. */
  culprit: { spanId: string; service: string; operation: string; value: number; usual: number } | null;
}

export interface AnomaliesReport {
  anomalies: Anomaly[];
  skipped: { type: string; count: number; reason: string }[];
  /** Traces flagged in all (`anomalies` holds the most severe). */
  total: number;
}

export interface TraceAnalysis {
  traceId: string;
  spans: { id: string; selfTimeUs: number; onCriticalPath: boolean }[];
  criticalPath: { spanId: string; service: string; operation: string; startUs: number; endUs: number }[];
  byOperation: {
    service: string;
    operation: string;
    criticalPathUs: number;
    selfTimeUs: number;
    count: number;
  }[];
}

/** True when the error means "this collector has no analyzer". */
export function isAnalyzerMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 501);
}

export const analysisApi = {
  types: (lookback: string): Promise<{ types: RequestType[] }> =>
    fetchJson(`/api/hivelab/types?lookback=${encodeURIComponent(lookback)}`),
  anomalies: (lookback: string): Promise<AnomaliesReport> =>
    fetchJson(`/api/hivelab/anomalies?lookback=${encodeURIComponent(lookback)}`),
  /** Types and anomalies from one pass of the analyzer over the window. */
  typesAndAnomalies: (lookback: string): Promise<{ types: RequestType[] } & AnomaliesReport> =>
    fetchJson(`/api/hivelab/anomalies?withTypes=true&lookback=${encodeURIComponent(lookback)}`),
  /** Each span as its id and times only: the page has the spans. */
  trace: (id: string): Promise<TraceAnalysis> =>
    fetchJson(`/api/hivelab/traces/${encodeURIComponent(id)}/analysis?spans=times`),
};
