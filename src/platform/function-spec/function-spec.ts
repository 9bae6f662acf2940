/**
 * The normalized, validated description of one function: what `spec/parse-service.ts`
 * makes of a Knative Service YAML, what the admin API accepts (as JSON) and what the
 * instance manager, sandboxes and autoscaler read. Every path in it is absolute.
 */

export type SandboxKind = 'process' | 'worker' | 'container';
export type ColdStartMode = 'boot' | 'snapshot' | 'prewarm';
/** `h2c` when the container port is named `h2c` (gRPC / cleartext HTTP/2), else `http1`. */
export type Protocol = 'http1' | 'h2c';

/** Knative KPA settings, from `autoscaling.knative.dev/*` and `hivelab.dev/*` annotations. */
export interface AutoscalingSettings {
  /** `kpa`, or an absolute path of a module exporting a `ScalingPolicy` (`hivelab.dev/autoscaler`). @default 'kpa' */
  policy: string;
  /** @default 'concurrency' */
  metric: 'concurrency' | 'rps';
  /** Target per instance (`autoscaling.knative.dev/target`). @default containerConcurrency, or 100 when that is 0 */
  target: number;
  /** 0..1, from `target-utilization-percentage`. @default 0.7 */
  targetUtilization: number;
  /** @default 0 */
  minScale: number;
  /** 0 = unlimited. @default 0 */
  maxScale: number;
  /** @default 1 */
  initialScale: number;
  /**
   * `autoscaling.knative.dev/activation-scale`: while there is load, at least this many
   * instances (Knative raises both desired counts to it when it is above 1). @default 1
   */
  activationScale?: number;
  /** `autoscaling.knative.dev/window`. @default 60000 */
  stableWindowMs: number;
  /** @default 10 */
  panicWindowPercentage: number;
  /** @default 200 */
  panicThresholdPercentage: number;
  /** @default 0 */
  scaleDownDelayMs: number;
  /** Knative's cluster-wide `scale-to-zero-grace-period`; here `hivelab.dev/scale-to-zero-grace-period`. @default 30000 */
  scaleToZeroGracePeriodMs: number;
  /** Knative's cluster-wide tick; here `hivelab.dev/tick-interval`. @default 2000 */
  tickIntervalMs: number;
  /** @default 1000 */
  maxScaleUpRate: number;
  /** @default 2 */
  maxScaleDownRate: number;
}

import type { ProbeSpec } from './probe-spec.js';

/** One container of the pod, as the YAML gives it (what the `container` sandbox runs from its image). */
export interface ContainerSpec {
  name: string;
  /** `image:` with the paths of `oci:` and `docker-archive:` references made absolute. */
  image: string;
  /** `command:`: replaces the image's entrypoint. */
  command?: string[];
  /** `args:`: replace the image's cmd. */
  args?: string[];
  /** The container's `env`. */
  env: Record<string, string>;
  workingDir?: string;
  /**
   * Absolute path of the built-in module that stands in for the image (vSwarm's relay →
   * `builtin:relay`): run by hivelab's runtime as a process in the pod's network and cgroup.
   */
  builtin?: string;
}

export interface FunctionSpec {
  name: string;
  namespace: string;
  /** What the YAML said in `image:` (or `GUEST_IMAGE`), for display. */
  image: string;
  /**
   * The command line that starts one instance: `[executable, ...args]`, resolved.
   * For built-in and SDK functions: `[process.execPath, <runtime runner>, <handler module>]`.
   */
  command: string[];
  /** Extra environment (the sandbox adds `PORT`). */
  env: Record<string, string>;
  /**
   * `hivelab.dev/pass-env`: host variables passed through to instances beyond the small
   * allow-list every instance gets (see `sandbox/launch/instance-env.ts`); absent = none.
   */
  passEnv?: string[];
  /** Folder of the YAML file; the instance's working directory. */
  workingDir: string;
  protocol: Protocol;
  /**
   * Absolute path of a JS module whose default export is a `FunctionModule` (see
   * `sdk/function-module.ts`). Present for built-in and SDK functions; required by the
   * `worker` sandbox and by the `snapshot` and `prewarm` cold-start modes.
   */
  handlerModule?: string;
  /** 0 = unlimited. @default 0 */
  containerConcurrency: number;
  /** `timeoutSeconds` in ms. @default 300000 */
  timeoutMs: number;
  /** `resources.limits.memory` in bytes. */
  memoryLimitBytes?: number;
  /** `resources.limits.cpu` in millicores. */
  cpuLimitMillicores?: number;
  /**
   * The serving container's `ports[0].containerPort`: `PORT` in a pod network, where the
   * instance serves. @default 8080 (Knative's)
   */
  containerPort?: number;
  /**
   * The serving container's `readinessProbe` (see probe-spec.ts): the instance gets traffic
   * once it passes, and none while it fails. Absent: hivelab's built-in probe at start.
   */
  readinessProbe?: ProbeSpec;
  /** The serving container's `livenessProbe`: failing it `failureThreshold` times replaces the instance. */
  livenessProbe?: ProbeSpec;
  /** The pod's containers, serving one first: what the `container` sandbox runs. */
  containers?: ContainerSpec[];
  /** `hivelab.dev/sandbox`. @default 'process' */
  sandbox: SandboxKind;
  /** `hivelab.dev/cold-start`. @default 'boot' */
  coldStart: ColdStartMode;
  /**
   * True when the manifest's own `hivelab.dev/cold-start` annotation chose `coldStart`:
   * `hivelab up --snapshots` switches every other JavaScript function to snapshots.
   */
  coldStartAnnotated?: boolean;
  autoscaling: AutoscalingSettings;
}
