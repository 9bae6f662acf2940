/** hivelab's own collector endpoints: invoker runs and the platform's functions (through the collector). */
import { fetchJson } from './fetch-json.js';

export interface Percentiles {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** What the invoker registers with `POST /api/hivelab/runs` (see src/collector/query/run-registry.ts). */
export interface RunRecord {
  runId: string;
  startEpochMs: number;
  label?: string;
  protocol?: string;
  endpoints?: string[];
  summary: {
    targetRps: number;
    plannedDurationS: number;
    issued: number;
    completed: number;
    failed: number;
    cold: number;
    achievedRps: number;
    latencyFromScheduledUs: Percentiles;
    latencyFromSendUs?: Percentiles;
  };
  /** Latency from the scheduled send, µs: counts per bucket, `upperUs` ascending. */
  histogram: { upperUs: number; count: number }[];
}

export interface FunctionStatus {
  name: string;
  namespace: string;
  url: string;
  image: string;
  sandbox?: string;
  coldStart?: string;
  protocol?: string;
  readyInstances: number;
  desiredInstances: number;
  coldStarts: number;
  requests: number;
}

/** One sample of a function's scale (from the platform's history, or seen by the page). */
export interface FunctionSample {
  atMs: number;
  readyInstances: number;
  desiredInstances: number;
  requests?: number;
  coldStarts?: number;
}

/** The platform's history of a function (platform/function-history.ts), oldest first. */
export interface FunctionHistory {
  namespace: string;
  name: string;
  scale: {
    atMs: number;
    readyInstances: number;
    desiredInstances: number;
    concurrency: number;
    panic: boolean;
  }[];
  coldStarts: { readyAtMs: number; instanceId: string; phases: Record<string, number> }[];
}

export const hivelabApi = {
  runs: (): Promise<{ runs: RunRecord[] }> => fetchJson('/api/hivelab/runs'),
  functions: (): Promise<FunctionStatus[]> => fetchJson('/api/hivelab/platform/functions'),
  history: (ns: string, name: string): Promise<FunctionHistory> =>
    fetchJson(
      `/api/hivelab/platform/functions/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/history`,
    ),
};
