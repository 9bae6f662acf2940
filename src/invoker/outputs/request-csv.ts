/**
 * The rich per-request CSV written beside vHive's file. Times are epoch µs (scheduled and
 * actual send) so rows can be joined with traces; latencies in µs; empty cells for
 * unknown values.
 */
import {
  latencyFromScheduledUs,
  latencyFromSendUs,
  latenessUs,
  type RequestRecord,
} from '../request-record.js';

export const REQUEST_CSV_HEADER =
  'index,endpoint,scheduled_us,sent_us,lateness_us,latency_from_scheduled_us,latency_from_send_us,ok,status,error_kind,cold,instance_id,trace_id,error';

/** One row per request, sorted by schedule index. */
export function formatRequestCsv(records: readonly RequestRecord[], startEpochMs: number): string {
  const rows = [...records].sort((a, b) => a.index - b.index);
  const lines = [REQUEST_CSV_HEADER];
  for (const r of rows) {
    const o = r.outcome;
    lines.push(
      [
        r.index,
        csvCell(r.endpoint),
        Math.round((startEpochMs + r.scheduledMs) * 1000),
        Math.round((startEpochMs + r.sentMs) * 1000),
        Math.round(latenessUs(r)),
        Math.round(latencyFromScheduledUs(r)),
        Math.round(latencyFromSendUs(r)),
        o.ok ? 1 : 0,
        csvCell(o.status),
        o.errorKind ?? '',
        o.cold === undefined ? '' : o.cold ? 1 : 0,
        csvCell(o.instanceId ?? ''),
        csvCell(r.traceId),
        csvCell(o.errorMessage ?? ''),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** RFC 4180 quoting when the value needs it. */
export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
