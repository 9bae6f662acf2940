/**
 * What the runtime runner tells its parent (sandbox driver), over IPC, a worker's
 * `parentPort`, or as a `HIVELAB_READY {json}` line on stdout when there is no channel.
 * Timestamps are epoch milliseconds with sub-millisecond precision (`epochNowMs()`), so
 * the parent can place them on its own clock.
 */

/** Prefix of the stdout line a runner prints when it has no IPC channel. */
export const READY_LINE_PREFIX = 'HIVELAB_READY ';

/** Sent once the function listens. */
export interface RunnerReadyReport {
  type: 'hivelab-ready';
  /** The runtime was up (runner entry started, user code not loaded). */
  runtimeUpAt: number;
  /** The function module was imported. */
  codeLoadedAt: number;
  /** `init()` finished. */
  initDoneAt: number;
  /** The server listens. */
  listeningAt: number;
  port: number;
  /** True when the process was restored from a V8 startup snapshot. */
  restoredFromSnapshot: boolean;
  /** OS thread id of the thread serving the function (for per-thread CPU time), when known. */
  tid?: number;
}

/** Sent after the instance answered its first invocation (the snapshot trigger). */
export interface RunnerInvokedReport {
  type: 'hivelab-invoked';
  count: number;
}

/** Sent when loading or initialising the function failed (before ready). */
export interface RunnerFailedReport {
  type: 'hivelab-failed';
  message: string;
}

/** Periodic usage of a worker-thread instance (a thread has no RSS of its own). */
export interface RunnerUsageReport {
  type: 'hivelab-usage';
  heapUsedBytes: number;
  peakHeapUsedBytes: number;
}

/** Sent by a prewarmed generic runtime once it is up and waiting to be specialised. */
export interface RunnerIdleReport {
  type: 'hivelab-idle';
  /**
   * The loopback port it already listens on (runtime/early-listener.ts): specialised with
   * this port, it serves there and connections can be opened before it is ready.
   */
  port?: number;
}

export type RunnerReport =
  RunnerIdleReport | RunnerReadyReport | RunnerInvokedReport | RunnerFailedReport | RunnerUsageReport;

/** What a worker-thread runner gets in `workerData`. */
export interface WorkerRunnerData {
  /** Absent for a prewarmed worker: it waits for `hivelab-specialize`. */
  handlerModule?: string;
  port: number;
  protocol: 'http1' | 'h2c';
}

/** Parent → prewarmed runner: become this function. */
export interface SpecializeMessage {
  type: 'hivelab-specialize';
  handlerModule: string;
  port: number;
  protocol: 'http1' | 'h2c';
  env: Record<string, string>;
  /** Working directory (processes only; a worker thread cannot chdir). */
  cwd?: string;
}

/** Parent → worker runner: stop serving and exit (graceful stop). */
export interface StopMessage {
  type: 'hivelab-stop';
}

/** Parent → worker runner: start a new peak measurement. */
export interface ResetPeakMessage {
  type: 'hivelab-reset-peak';
}

export type ParentMessage = SpecializeMessage | StopMessage | ResetPeakMessage;

/** Epoch ms with sub-ms precision; comparable across processes on one machine. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

const reportTypes = new Set([
  'hivelab-idle',
  'hivelab-ready',
  'hivelab-invoked',
  'hivelab-failed',
  'hivelab-usage',
]);

/** Narrows an IPC / parentPort message to a runner report; anything else is `undefined`. */
export function asRunnerReport(message: unknown): RunnerReport | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' && reportTypes.has(type) ? (message as RunnerReport) : undefined;
}

/** Parses one stdout line; `undefined` unless it is a runner report line. */
export function parseReportLine(line: string): RunnerReport | undefined {
  if (!line.startsWith(READY_LINE_PREFIX)) return undefined;
  try {
    return asRunnerReport(JSON.parse(line.slice(READY_LINE_PREFIX.length)));
  } catch {
    return undefined;
  }
}

/** Narrows a message from the parent. */
export function asParentMessage(message: unknown): ParentMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return type === 'hivelab-specialize' || type === 'hivelab-stop' || type === 'hivelab-reset-peak'
    ? (message as ParentMessage)
    : undefined;
}
