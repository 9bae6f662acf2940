/**
 * Workload files: weighted request kinds with parameter generators (wrk2-script style),
 * parsed at the edge and sampled from one seeded source of randomness.
 */
export { parseWorkload, readWorkloadFile } from './workload-file.js';
export type { Workload, RequestKind, ParamGenerator } from './workload-file.js';
export { createWorkloadSampler } from './workload-sampler.js';
export type { SampledRequest, WorkloadSampler } from './workload-sampler.js';
export { summarizeByKind } from './kind-summary.js';
export type { KindSummary } from './kind-summary.js';
