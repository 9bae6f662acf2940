/** The summary of a run: counts, rates, percentiles, errors by kind, cold starts. Pure. */
import type { ErrorKind } from './clients/target-client.js';
import { createLatencyHistogram, type Percentiles } from './latency-histogram.js';
import {
  latencyFromScheduledUs,
  latencyFromSendUs,
  latenessUs,
  type RequestRecord,
} from './request-record.js';
import { invokerVerdict, type SelfUsage } from './self-watch.js';
import { summarizeByKind, type KindSummary } from './workload/kind-summary.js';

export interface RunSummary {
  runId: string;
  seed: number;
  targetRps: number;
  plannedDurationS: number;
  issued: number;
  /** Requests answered successfully (in-flight ones at the end were waited for). */
  completed: number;
  failed: number;
  errors: Record<ErrorKind, number>;
  /** Requests the gateway marked cold (`x-hivelab-cold: 1`). */
  cold: number;
  /** completed / max(planned duration, time of the last send). */
  achievedRps: number;
  /** (issued - 1) / (last send - first send): how well the send rate matched the plan. */
  sendRps: number;
  /** Successful requests, from the scheduled send (coordinated-omission free), µs. */
  latencyFromScheduledUs: Percentiles;
  /** Successful requests, from the actual send, µs. */
  latencyFromSendUs: Percentiles;
  /** All sends, how late against the plan, µs. */
  latenessUs: Percentiles;
  /** Sends more than 1 ms late. */
  lateSends: number;
  self: SelfUsage;
  /** Set when the invoker itself was the bottleneck. */
  warning?: string;
  /** Workload runs: one row per request kind. */
  byKind?: KindSummary[];
}

export interface SummaryInput {
  runId: string;
  seed: number;
  targetRps: number;
  plannedDurationS: number;
  self: SelfUsage;
}

export function summarizeRun(records: readonly RequestRecord[], input: SummaryInput): RunSummary {
  const fromScheduled = createLatencyHistogram();
  const fromSend = createLatencyHistogram();
  const lateness = createLatencyHistogram();
  const errors: Record<ErrorKind, number> = { timeout: 0, refused: 0, status: 0, other: 0 };
  let completed = 0;
  let cold = 0;
  let lateSends = 0;
  let firstSend = Infinity;
  let lastSend = -Infinity;
  for (const record of records) {
    const late = latenessUs(record);
    lateness.record(late);
    if (late > 1000) lateSends++;
    firstSend = Math.min(firstSend, record.sentMs);
    lastSend = Math.max(lastSend, record.sentMs);
    if (record.outcome.cold) cold++;
    if (record.outcome.ok) {
      completed++;
      fromScheduled.record(latencyFromScheduledUs(record));
      fromSend.record(latencyFromSendUs(record));
    } else {
      errors[record.outcome.errorKind ?? 'other']++;
    }
  }
  const issued = records.length;
  const runSeconds = Math.max(input.plannedDurationS, issued > 0 ? lastSend / 1000 : 0);
  const latenessPercentiles = lateness.percentiles();
  const summary: RunSummary = {
    runId: input.runId,
    seed: input.seed,
    targetRps: input.targetRps,
    plannedDurationS: input.plannedDurationS,
    issued,
    completed,
    failed: issued - completed,
    errors,
    cold,
    achievedRps: runSeconds > 0 ? completed / runSeconds : 0,
    sendRps: issued > 1 && lastSend > firstSend ? ((issued - 1) * 1000) / (lastSend - firstSend) : 0,
    latencyFromScheduledUs: fromScheduled.percentiles(),
    latencyFromSendUs: fromSend.percentiles(),
    latenessUs: latenessPercentiles,
    lateSends,
    self: input.self,
  };
  const warning = invokerVerdict(latenessPercentiles.p99, input.self);
  if (warning) summary.warning = warning;
  const byKind = summarizeByKind(records);
  if (byKind.length > 0) summary.byKind = byKind;
  return summary;
}
