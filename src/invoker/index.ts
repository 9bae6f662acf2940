/**
 * The invoker: vHive-compatible open-loop load generation (gRPC helloworld or HTTP),
 * coordinated-omission-free latency recording, vHive/CSV/JSON outputs, and Azure
 * Functions trace replay.
 */
export { invoke } from './invoke.js';
export type { InvokeOptions, InvokeResult, HttpRequestOptions } from './invoke.js';
export { parseEndpoints, readEndpointsFile } from './endpoints.js';
export type { Endpoint } from './endpoints.js';
export { runSchedule } from './runner.js';
export type { PlannedSend, RunScheduleOptions, RunScheduleResult } from './runner.js';
export { createPacer } from './pacing/index.js';
export type { Pacer, PacerKind, PacerOptions } from './pacing/index.js';
export { summarizeRun } from './run-summary.js';
export { latencyBuckets, registerRun, runRegistration, runsUrlFor } from './register-run.js';
export type { RunSummary } from './run-summary.js';
export type { RequestRecord } from './request-record.js';
export { latencyFromScheduledUs, latencyFromSendUs, latenessUs } from './request-record.js';
export type { Percentiles } from './latency-histogram.js';
export { createLatencyHistogram } from './latency-histogram.js';
export { createGrpcClient } from './clients/grpc-client.js';
export type { GrpcClientOptions } from './clients/grpc-client.js';
export { createHttpClient } from './clients/http-client.js';
export type { HttpClientOptions } from './clients/http-client.js';
export type { ErrorKind, SendOutcome, SendRequest, TargetClient } from './clients/target-client.js';
export { HELLOWORLD_PROTO } from './clients/helloworld-codec.js';
export { rateSchedule, minuteSchedule } from './schedule/arrival-schedule.js';
export type { RateScheduleOptions, MinuteScheduleOptions } from './schedule/arrival-schedule.js';
export { IAT_DISTRIBUTIONS } from './schedule/inter-arrival.js';
export type { IatDistribution } from './schedule/inter-arrival.js';
export { mulberry32, randomSeed } from './schedule/prng.js';
export type { Random } from './schedule/prng.js';
export { createProgress } from './progress.js';
export { readWorkloadFile, parseWorkload, createWorkloadSampler, summarizeByKind } from './workload/index.js';
export type { Workload, SampledRequest, KindSummary } from './workload/index.js';
export type { Progress } from './progress.js';
export { watchSelf, invokerVerdict } from './self-watch.js';
export type { SelfUsage } from './self-watch.js';
export { vhiveFileName, vhiveSummaryLines, formatVhiveLatencies } from './outputs/vhive-output.js';
export { formatRequestCsv, REQUEST_CSV_HEADER } from './outputs/request-csv.js';
export { writeRunOutputs, runOutputFiles } from './outputs/write-run-outputs.js';
export type { RunOutputFiles } from './outputs/write-run-outputs.js';
export { createClientTracer, propagationHeaders } from './client-tracing.js';
export type { ClientTracer, ClientTracerOptions, TracingStats, RequestTrace } from './client-tracing.js';
export { parseInvocationsCsv, parseDurationsCsv, parseMemoryCsv, functionKey } from './replay/azure-trace.js';
export type { InvocationsRow, DurationsRow, MemoryRow, FunctionId } from './replay/azure-trace.js';
export { interpolatePercentile, samplePercentile } from './replay/percentile-sampler.js';
export { planReplay } from './replay/replay-plan.js';
export type {
  AzureTrace,
  ReplayPlan,
  ReplayPlanOptions,
  PlannedFunction,
  PlannedInvocation,
} from './replay/replay-plan.js';
export { readAzureTrace, runReplay } from './replay/replay-run.js';
export type { DeployTraceFunction, ReplayRunOptions, ReplayRunResult } from './replay/replay-run.js';
export { formatReplayCsv, summarizeReplay, REPLAY_CSV_HEADER } from './replay/replay-records.js';
export type { ReplaySummary, PhaseSummary, FunctionWork } from './replay/replay-records.js';
export { summarizeWork, durationNote, withinTolerance } from './replay/replay-records.js';
export { platformDeployer, TRACE_FUNCTION_IMAGE } from './replay/platform-deployer.js';
