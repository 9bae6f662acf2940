/**
 * The sandbox port: one running instance of a function. Every sandbox, whatever runs
 * inside (a child process, a worker thread, a restored snapshot, a specialised pre-warmed
 * runtime), serves the function on a loopback TCP port, so the gateway treats them alike.
 */
import type { FunctionSpec } from '../function-spec/function-spec.js';

/**
 * Where the cold start went, in ms since the launch was asked for. The runner's phases are
 * present only when measured (hivelab's runner reports them; an executable that is not ours
 * does not, and then only spawn and ready are known).
 */
export interface ColdStartPhases {
  /** Until the process or thread existed. */
  spawnMs: number;
  /** Until the language runtime was up (user code not yet loaded). */
  runtimeInitMs?: number;
  /** Loading the function's code. */
  codeLoadMs?: number;
  /** The function's own initialisation. */
  functionInitMs?: number;
  /**
   * Launch until the sandbox itself was ready (the runner listening, or the built-in probe
   * passed), when a spec `readinessProbe` then gated the first traffic: from here to
   * `readyMs` the instance waited for that probe. Absent without a spec probe.
   */
  sandboxReadyMs?: number;
  /** Launch to readiness probe passed: the whole cold start. */
  readyMs: number;
  /** The container sandbox's steps until its process ran; they sum to `spawnMs`. */
  container?: ContainerSteps;
}

/** Durations (ms) of what a container launch does before the process runs. */
export interface ContainerSteps {
  /** Resolving the images and, when not cached, unpacking them. */
  imageMs: number;
  /** True when this launch unpacked an image (a first start of that digest). */
  unpacked: boolean;
  /** Taking (or making) the pod's network namespace. */
  networkMs: number;
  /** Bundle written, runtime run until the container's process was started. */
  createMs: number;
}

export interface ResourceUsage {
  /** Cumulative CPU time (user + system) of the instance, µs. */
  cpuUs: number;
  /** Resident set size now, bytes. */
  rssBytes: number;
  /** Peak resident set size since start or since the last `resetPeak()`, bytes. */
  peakRssBytes: number;
}

export interface SandboxExit {
  /** `stopped`: asked to stop; `crashed`: exited on its own; `oom`: killed over the memory limit. */
  reason: 'stopped' | 'crashed' | 'oom';
  code: number | null;
  signal: string | null;
  /** Human-readable, e.g. "exited with code 1: Error: boom" (last stderr line when known). */
  message: string;
}

/** Where an instance's output goes as it comes: one call per chunk, per container and stream. */
export type OutputSink = (container: string, stream: 'stdout' | 'stderr', chunk: Buffer) => void;

/** One instance's output, for its log files: every chunk as it comes, then the end. */
export interface InstanceOutput {
  write: OutputSink;
  /** Called once, after the instance's last output: it is gone, and why. */
  end(exit: SandboxExit): void;
}

export interface Sandbox {
  readonly instanceId: string;
  /** Loopback port the instance serves on (in a pod network, the host port that reaches the pod). */
  readonly port: number;
  /** In a pod network: the pod's address and the `PORT` its serving container listens on. */
  readonly pod?: { readonly ip: string; readonly containerPort: number };
  readonly pid: number | undefined;
  /**
   * True when `port` takes connections from the launch on, before `ready` (a prewarmed
   * runtime that listens already and holds them until it serves): the gateway may open its
   * connection while the instance starts. Nothing may be sent before `ready`.
   */
  readonly acceptsBeforeReady?: boolean;
  /** Resolves when the readiness probe passed; rejects if the instance never got ready. */
  readonly ready: Promise<ColdStartPhases>;
  /** Resolves when the instance is gone, whatever the cause. */
  readonly exited: Promise<SandboxExit>;
  /** True once ready if the instance was restored from a V8 startup snapshot (optional: added for the `snapshot` cold-start mode). */
  readonly restoredFromSnapshot?: boolean;
  usage(): ResourceUsage;
  /** Starts a new peak-RSS measurement (per-invocation peak memory). */
  resetPeak(): void;
  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export interface SandboxDriver {
  readonly kind: FunctionSpec['sandbox'];
  launch(spec: FunctionSpec, instanceId: string): Sandbox;
  /**
   * Readies what launches of `spec` share before the first one (prewarm pool, images, pod
   * networks); resolves when they are ready. Optional work: a launch works without it.
   */
  prepare(spec: FunctionSpec): Promise<void>;
  /** Frees pools, snapshot files and timers. */
  close(): Promise<void>;
}
