/** Per request kind rows of a workload run: counts and latency from the scheduled send. Pure. */
import { createLatencyHistogram, type Percentiles } from '../latency-histogram.js';
import { latencyFromScheduledUs, type RequestRecord } from '../request-record.js';

export interface KindSummary {
  kind: string;
  issued: number;
  completed: number;
  failed: number;
  /** issued / all issued. */
  share: number;
  /** Successful requests, from the scheduled send, µs. */
  latencyFromScheduledUs: Percentiles;
}

/** One row per kind, most issued first; empty when no record has a kind. */
export function summarizeByKind(records: readonly RequestRecord[]): KindSummary[] {
  const groups = new Map<string, RequestRecord[]>();
  for (const record of records) {
    if (record.kind === undefined) continue;
    let group = groups.get(record.kind);
    if (!group) groups.set(record.kind, (group = []));
    group.push(record);
  }
  const rows: KindSummary[] = [];
  for (const [kind, group] of groups) {
    const histogram = createLatencyHistogram();
    let completed = 0;
    for (const record of group) {
      if (!record.outcome.ok) continue;
      completed++;
      histogram.record(latencyFromScheduledUs(record));
    }
    rows.push({
      kind,
      issued: group.length,
      completed,
      failed: group.length - completed,
      share: group.length / records.length,
      latencyFromScheduledUs: histogram.percentiles(),
    });
  }
  return rows.sort((a, b) => b.issued - a.issued || a.kind.localeCompare(b.kind));
}
