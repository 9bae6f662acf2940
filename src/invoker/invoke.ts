/**
 * `invoke()`: the library call behind `hivelab invoke`. Plans the schedule, sends to the
 * endpoints round-robin through one client, watches itself, optionally traces, and
 * returns every request's record and the summary. Writing files is `writeRunOutputs`.
 */
import { randomUUID } from 'node:crypto';
import { UserError } from '../errors.js';
import { createClientTracer, type RequestTrace, type TracingStats } from './client-tracing.js';
import { createGrpcClient } from './clients/grpc-client.js';
import { createHttpClient } from './clients/http-client.js';
import type { TargetClient } from './clients/target-client.js';
import type { Endpoint } from './endpoints.js';
import type { RequestRecord } from './request-record.js';
import type { PacerKind } from './pacing/index.js';
import { runSchedule, type PlannedSend } from './runner.js';
import { summarizeRun, type RunSummary } from './run-summary.js';
import { rateSchedule } from './schedule/arrival-schedule.js';
import type { IatDistribution } from './schedule/inter-arrival.js';
import { mulberry32, randomSeed } from './schedule/prng.js';
import { watchSelf } from './self-watch.js';
import { createWorkloadSampler, type Workload } from './workload/index.js';

export interface HttpRequestOptions {
  /** @default 'GET' */
  method?: string;
  /** @default '/' */
  path?: string;
  body?: string;
}

export interface InvokeOptions {
  endpoints: readonly Endpoint[];
  rps: number;
  durationS: number;
  /** @default 'equidistant' */
  distribution?: IatDistribution;
  /** @default a random seed (reported in the summary) */
  seed?: number;
  /** @default 'grpc' */
  protocol?: 'grpc' | 'http';
  /** Where every endpoint is sent. @default '127.0.0.1' */
  address?: string;
  port: number;
  timeoutMs: number;
  /** @default false */
  newConnectionPerRequest?: boolean;
  /** HTTP: open connections at most; beyond, requests wait for a free one. @default 4096 */
  maxConnections?: number;
  http?: HttpRequestOptions;
  /** Zipkin v2 URL: start a client span per request and send it there. */
  zipkinUrl?: string;
  /** @default a random UUID */
  runId?: string;
  /** How sends are timed (see pacing/pacer.ts). @default 'spin' */
  pacer?: PacerKind;
  /**
   * HTTP: draw each request (method, path, body) from a workload instead of `http`; the
   * kind drawn is kept in each record. Uses the run's seed.
   */
  workload?: Workload;
  /** Called after each completion with (completed so far, total planned). */
  onProgress?(done: number, total: number): void;
}

export interface InvokeResult {
  summary: RunSummary;
  /** In completion order. */
  records: RequestRecord[];
  startEpochMs: number;
  /** Client span counts, with `zipkinUrl`. */
  tracing?: TracingStats;
}

/** Runs one open-loop experiment against the endpoints. */
export async function invoke(options: InvokeOptions): Promise<InvokeResult> {
  const seed = options.seed ?? randomSeed();
  const runId = options.runId ?? randomUUID();
  const distribution = options.distribution ?? 'equidistant';
  const schedule = rateSchedule(
    { rps: options.rps, durationS: options.durationS, distribution },
    mulberry32(seed),
  );
  const protocol = options.protocol ?? (options.workload ? 'http' : 'grpc');
  if (options.workload && protocol !== 'http')
    throw new UserError('a workload drives HTTP requests: use --protocol http (the default with --workload)');
  const client: TargetClient =
    protocol === 'grpc'
      ? createGrpcClient({
          address: options.address,
          port: options.port,
          timeoutMs: options.timeoutMs,
          newConnectionPerRequest: options.newConnectionPerRequest,
        })
      : createHttpClient({
          address: options.address,
          port: options.port,
          timeoutMs: options.timeoutMs,
          newConnectionPerRequest: options.newConnectionPerRequest,
          maxConnections: options.maxConnections,
          method: options.http?.method,
          path: options.http?.path,
        });
  const tracer = options.zipkinUrl ? createClientTracer({ zipkinUrl: options.zipkinUrl, runId }) : undefined;
  // vHive gives every endpoint one workflow id for the whole run.
  const workflowIds = options.endpoints.map(() => randomUUID());
  const spanName =
    protocol === 'grpc'
      ? 'helloworld.Greeter/SayHello'
      : `${options.http?.method ?? 'GET'} ${options.http?.path ?? '/'}`;
  let startEpochMs = 0;
  let done = 0;
  // Its own stream from the seed, so the schedule stays the same with and without a workload.
  const sampleRequest = options.workload
    ? createWorkloadSampler(options.workload, mulberry32(seed ^ 0x5eed))
    : undefined;

  const plan = (index: number, scheduledEpochMs: number): PlannedSend => {
    const which = index % options.endpoints.length;
    const endpoint = options.endpoints[which]!;
    const trace: RequestTrace | undefined = tracer?.start();
    const body =
      protocol === 'grpc'
        ? JSON.stringify({
            WorkflowId: workflowIds[which],
            InvocationId: randomUUID(),
            InvokedOn: new Date(scheduledEpochMs).toISOString(),
          })
        : sampleRequest
          ? undefined
          : options.http?.body;
    const planned: PlannedSend = {
      hostname: endpoint.hostname,
      endpoint: endpoint.hostname,
      headers: trace?.headers ?? {},
    };
    if (body !== undefined) planned.body = body;
    if (sampleRequest) {
      const drawn = sampleRequest();
      planned.kind = drawn.kind;
      planned.method = drawn.method;
      planned.path = drawn.path;
      if (drawn.body !== undefined) planned.body = drawn.body;
      if (drawn.headers) planned.headers = { ...drawn.headers, ...planned.headers };
    }
    if (trace && tracer) {
      planned.traceId = trace.traceId;
      const name = planned.kind !== undefined ? `${planned.method} ${planned.path?.split('?')[0]}` : spanName;
      planned.onDone = (record) => tracer.finish(trace, record, startEpochMs, name);
    }
    return planned;
  };

  await client.prepare?.(options.endpoints.map((e) => e.hostname));
  const stopWatch = watchSelf();
  try {
    const run = await runSchedule({
      schedule,
      client,
      plan: (index, scheduledEpochMs) => {
        if (index === 0) startEpochMs = scheduledEpochMs - schedule[0]!;
        return plan(index, scheduledEpochMs);
      },
      onRecord: () => options.onProgress?.(++done, schedule.length),
      pacer: options.pacer,
    });
    const self = stopWatch();
    const summary = summarizeRun(run.records, {
      runId,
      seed,
      targetRps: options.rps,
      plannedDurationS: options.durationS,
      self,
    });
    const result: InvokeResult = { summary, records: run.records, startEpochMs: run.startEpochMs };
    if (tracer) result.tracing = await tracer.close();
    return result;
  } finally {
    client.close();
  }
}
