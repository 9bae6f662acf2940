/**
 * The open-loop runner: sends request i at `start + schedule[i]` whatever earlier requests
 * are doing, then waits for every request still in flight (each bounded by its client's
 * timeout) so none is dropped from the counts, unlike vHive's invoker.
 */
import type { SendRequest, TargetClient } from './clients/target-client.js';
import { createPacer, type PacerKind } from './pacing/index.js';
import type { RequestRecord } from './request-record.js';

/** A request to send, with what the runner should remember about it. */
export interface PlannedSend extends SendRequest {
  /** Shown in outputs, e.g. the endpoint hostname or a function name. */
  endpoint: string;
  /** Trace id to record (e.g. the client span's), if known before the send. */
  traceId?: string;
  /** The request kind of a workload run (`search`, `recommend`, …). */
  kind?: string;
  /** Called when the request completes (e.g. to end its span). */
  onDone?(record: RequestRecord): void;
}

export interface RunScheduleOptions {
  /** Planned send offsets in ms from the start, ascending. */
  schedule: Float64Array;
  client: TargetClient;
  /** Builds request i; `scheduledEpochMs` is its planned wall-clock time. */
  plan(index: number, scheduledEpochMs: number): PlannedSend;
  /** Called for every completed request, in completion order. */
  onRecord?(record: RequestRecord): void;
  /** How the runner waits for the next send (see pacing/pacer.ts). @default 'spin' */
  pacer?: PacerKind;
  /** Busy-yield for the last `spinMs` before a send (see pacing/pacer.ts). */
  spinMs?: number;
  /** Delay before the first send, to let the caller's setup settle. @default 5 */
  leadMs?: number;
  /** Max sends per event-loop turn when behind, so responses still get read. @default 64 */
  burst?: number;
}

export interface RunScheduleResult {
  /** In completion order. */
  records: RequestRecord[];
  /** Wall-clock epoch ms of offset 0. */
  startEpochMs: number;
  /** ms from start to the last completion. */
  elapsedMs: number;
}

/** Runs the schedule; resolves when every request has completed or failed. */
export async function runSchedule(options: RunScheduleOptions): Promise<RunScheduleResult> {
  const { schedule, client } = options;
  const burst = options.burst ?? 64;
  const pacer = await createPacer({ kind: options.pacer, spinMs: options.spinMs });
  const start = performance.now() + (options.leadMs ?? 5);
  const startEpochMs = performance.timeOrigin + start;
  const records: RequestRecord[] = [];
  const inFlight = new Set<Promise<void>>();

  const fire = (index: number): void => {
    const scheduledMs = schedule[index]!;
    const planned = options.plan(index, startEpochMs + scheduledMs);
    const sentMs = performance.now() - start;
    const promise = client.send(planned).then((outcome) => {
      const record: RequestRecord = {
        index,
        endpoint: planned.endpoint,
        scheduledMs,
        sentMs,
        completedMs: performance.now() - start,
        outcome,
        traceId: planned.traceId ?? outcome.traceId ?? '',
      };
      if (planned.kind !== undefined) record.kind = planned.kind;
      records.push(record);
      planned.onDone?.(record);
      options.onRecord?.(record);
      inFlight.delete(promise);
    });
    inFlight.add(promise);
  };

  // Sends whatever is due whenever the pacer wakes the loop. When behind, at most `burst`
  // go out per turn and the loop yields, so responses still get read meanwhile.
  await new Promise<void>((allSent) => {
    let next = 0;
    const pump = (): void => {
      const now = performance.now();
      let sent = 0;
      while (next < schedule.length && start + schedule[next]! <= now && sent < burst) {
        fire(next++);
        sent++;
      }
      pacer.advance(next);
      if (next >= schedule.length) allSent();
      else if (sent >= burst) setImmediate(pump);
    };
    if (schedule.length === 0) allSent();
    else
      pacer.pace(
        schedule.map((offset) => start + offset),
        pump,
      );
  }).finally(() => pacer.close());
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return { records, startEpochMs, elapsedMs: performance.now() - start };
}
