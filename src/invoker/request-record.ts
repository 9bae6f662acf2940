/** What the invoker keeps for every request of a run. */
import type { SendOutcome } from './clients/target-client.js';

export interface RequestRecord {
  /** Position in the schedule (0-based). */
  index: number;
  endpoint: string;
  /** Planned send time, ms from the run's start. */
  scheduledMs: number;
  /** Actual send time, ms from the run's start. */
  sentMs: number;
  /** When the answer (or failure) arrived, ms from the run's start. */
  completedMs: number;
  outcome: SendOutcome;
  /** The client span's trace id with `-trace`, else the gateway's, else ''. */
  traceId: string;
  /** The request kind, in a workload run. */
  kind?: string;
}

/** Latency from the scheduled send (coordinated-omission free), µs. */
export function latencyFromScheduledUs(record: RequestRecord): number {
  return (record.completedMs - record.scheduledMs) * 1000;
}

/** Latency from the actual send, µs. */
export function latencyFromSendUs(record: RequestRecord): number {
  return (record.completedMs - record.sentMs) * 1000;
}

/** How late the send was against the plan, µs (never negative). */
export function latenessUs(record: RequestRecord): number {
  return Math.max(0, (record.sentMs - record.scheduledMs) * 1000);
}
