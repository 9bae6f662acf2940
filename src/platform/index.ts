/**
 * The function platform: `startPlatform` (gateway, activator, instances, autoscaler loop,
 * admin API) and `PlatformClient` (its admin API over HTTP), plus the spec, autoscaler and
 * sandbox pieces other subsystems build on.
 */
export { startPlatform } from './platform.js';
export type { DriverContext, PlatformOptions, RunningPlatform } from './platform.js';
export { PlatformClient } from './admin-client.js';
export type { LogsRequest } from './admin-client.js';
export { RESPONSE_HEADERS } from './gateway/index.js';
export type { FunctionStatus, FaultsStatus } from './admin-api.js';
export {
  parseFaultSpec,
  formatFaultSpec,
  readFaultLog,
  FAULT_HEADER,
  type FaultSpec,
  type FaultOrder,
  type FaultTable,
  type FaultInjection,
  type FaultChange,
  type FaultEvent,
  type ActiveFault,
} from './faults/index.js';
export type { FunctionHistory, ScalePoint, ColdStartRecord } from './function-history.js';
export { DeployedFunction } from './deployed-function.js';
export type { DeployedFunctionOptions } from './deployed-function.js';
export type {
  AutoscalingSettings,
  ColdStartMode,
  FunctionSpec,
  Protocol,
  SandboxKind,
} from './function-spec/function-spec.js';
export {
  parseServiceYaml,
  validateFunctionSpec,
  builtinFunctionSpec,
  defaultAutoscaling,
  describeRunnableImages,
  BUILTIN_IMAGES,
  builtinModulePath,
} from './function-spec/index.js';
export { kpaPolicy, initialDesired, loadScalingPolicy } from './autoscaler/index.js';
export type { ScalingPolicy, ScalingInput, ScalingDecision, MetricSample } from './autoscaler/index.js';
export {
  simulateScaling,
  compareScaling,
  parseLoadProfileCsv,
  formatSimulationCsv,
} from './autoscaler/index.js';
export type { LoadPoint, SimulationOptions, SimulationResult } from './autoscaler/index.js';
export { createSandboxDriver } from './sandbox/index.js';
export type {
  Sandbox,
  SandboxDriver,
  SandboxExit,
  ColdStartPhases,
  ResourceUsage,
} from './sandbox/sandbox.js';
