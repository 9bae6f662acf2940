/**
 * Registers a finished run with the collector (`POST /api/hivelab/runs`), so its web UI
 * lists the run, overlays its latency CDF with others and links to its traces. The files
 * the invoker writes are unchanged; a collector that is down costs a short timeout and a
 * warning, never the run.
 */
import type { InvokeResult } from './invoke.js';
import { latencyFromScheduledUs } from './request-record.js';

/** Histogram buckets per decade: bounds grow by 10^(1/20), about 12 %. */
const BUCKETS_PER_DECADE = 20;
const REGISTER_TIMEOUT_MS = 3_000;

/** Latencies (µs) → log-spaced buckets `{upperUs, count}`, ascending, empty ones left out. Pure. */
export function latencyBuckets(latenciesUs: Iterable<number>): { upperUs: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const us of latenciesUs) {
    const bin = Math.ceil(Math.log10(Math.max(1, us)) * BUCKETS_PER_DECADE);
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([bin, count]) => ({ upperUs: Math.round(10 ** (bin / BUCKETS_PER_DECADE) * 1000) / 1000, count }));
}

/** The JSON the collector's `POST /api/hivelab/runs` takes. Pure. */
export function runRegistration(
  result: InvokeResult,
  extra: { protocol?: string; endpoints?: readonly string[]; label?: string } = {},
): Record<string, unknown> {
  const ok = result.records.filter((r) => r.outcome.ok).map(latencyFromScheduledUs);
  const body: Record<string, unknown> = {
    runId: result.summary.runId,
    startEpochMs: result.startEpochMs,
    summary: result.summary,
    histogram: latencyBuckets(ok),
  };
  if (extra.protocol !== undefined) body.protocol = extra.protocol;
  if (extra.endpoints !== undefined) body.endpoints = [...extra.endpoints];
  if (extra.label !== undefined) body.label = extra.label;
  return body;
}

/** The runs URL of the collector that takes spans at `zipkinUrl` (same origin). */
export function runsUrlFor(zipkinUrl: string): string {
  return new URL('/api/hivelab/runs', zipkinUrl).toString();
}

/** POSTs the run; resolves to undefined when registered, else the reason. */
export async function registerRun(
  runsUrl: string,
  registration: Record<string, unknown>,
): Promise<string | undefined> {
  try {
    const res = await fetch(runsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration),
      signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS),
    });
    if (res.status === 201) return undefined;
    return `${res.status} ${(await res.text()).trim()}`;
  } catch (error) {
    return (error as Error).message;
  }
}
