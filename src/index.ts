/**
 * hivelab's library API: what the CLI calls, for users who script experiments in
 * TypeScript (`import { startCollector } from 'hivelab'`). Each command of the CLI is a
 * thin shell over one of these:
 *
 * | command             | library call                                    |
 * | ------------------- | ----------------------------------------------- |
 * | `hivelab collector` | `openTraceStore` + `startCollector`             |
 * | `hivelab up`        | `startCollector` + `startPlatform`              |
 * | `hivelab deploy`    | `deployFunctions` (target: a `PlatformClient`)  |
 * | `hivelab invoke`    | `invoke` (which paces a schedule: `runSchedule`) |
 * | `hivelab replay`    | `readAzureTrace` + `planReplay` + `runReplay`   |
 *
 * and offline, for autoscaling policies: `simulateScaling`, `compareScaling`, with load
 * profiles from CSV (`parseLoadProfileCsv`) and results to CSV (`formatSimulationCsv`).
 */
export { UserError, HttpError } from './errors.js';
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from './spans/index.js';

export { openTraceStore } from './store/index.js';
export type {
  TraceStore,
  TraceQuery,
  RetentionPolicy,
  StoreStats,
  TraceStoreOptions,
} from './store/index.js';

export { startCollector } from './collector/index.js';
export type { CollectorOptions, RunningCollector } from './collector/index.js';

export { startPlatform, PlatformClient } from './platform/index.js';
export type {
  PlatformOptions,
  RunningPlatform,
  FunctionSpec,
  AutoscalingSettings,
} from './platform/index.js';

export { deployFunctions } from './deploy/index.js';
export type { DeployOptions, DeployResult, DeployTarget } from './deploy/index.js';

export {
  invoke,
  readEndpointsFile,
  runSchedule,
  readAzureTrace,
  planReplay,
  runReplay,
} from './invoker/index.js';
export type {
  InvokeOptions,
  InvokeResult,
  RunScheduleOptions,
  RunScheduleResult,
  ReplayRunOptions,
  ReplayRunResult,
} from './invoker/index.js';

export {
  simulateScaling,
  compareScaling,
  parseLoadProfileCsv,
  formatSimulationCsv,
  kpaPolicy,
  defaultAutoscaling,
} from './platform/index.js';
export type { LoadPoint, SimulationOptions, SimulationResult, ScalingPolicy } from './platform/index.js';
