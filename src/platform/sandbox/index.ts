/**
 * Sandboxes: where one instance of a function runs (a child process or a worker thread),
 * how it starts (boot, V8 startup snapshot, prewarmed runtime), how its limits are
 * enforced (cgroups, or /proc sampling) and how its CPU and memory are measured.
 */
export type { ColdStartPhases, ResourceUsage, Sandbox, SandboxDriver, SandboxExit } from './sandbox.js';
export { createSandboxDriver } from './sandbox-driver.js';
export type { HivelabSandboxDriver, SandboxDriverOptions } from './sandbox-driver.js';
export { detectIsolation } from './accounting/isolation.js';
export type { Isolation } from './accounting/isolation.js';
export { computePhases, phaseDurations, withReadinessProbe } from './cold-start/phases.js';
export type { LaunchTimes } from './cold-start/phases.js';
export { probeTarget, runProbeOnce } from './probes/spec-probe.js';
export type { ProbeTarget } from './probes/spec-probe.js';
