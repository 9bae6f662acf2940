/**
 * The `worker` sandbox: the runtime runner in a worker thread of this process, serving
 * on its own loopback port, with V8 `resourceLimits` as the memory limit.
 *
 * Accounting, honestly: a thread has no RSS of its own, so `rssBytes`/`peakRssBytes` are
 * the V8 heap used by the worker's isolate (reported by the runner every 100 ms and after
 * each invocation); `cpuUs` is the on-CPU time of the worker's JS thread from
 * `/proc/self/task/<tid>/schedstat` (Node 20 has no `worker.cpuUsage()`), which leaves
 * out GC helper and libuv pool threads shared with the host.
 */
import { Worker } from 'node:worker_threads';
import { asRunnerReport, epochNowMs, runtimeRunnerPath } from '../../runtime/index.js';
import type { RunnerReadyReport, SpecializeMessage, WorkerRunnerData } from '../../runtime/index.js';
import { classifyExit, couldNotStartExit } from '../launch/exit-reason.js';
import { pickFreePort } from '../launch/free-port.js';
import { genericRuntimeEnv } from '../launch/instance-env.js';
import { computePhases } from '../cold-start/phases.js';
import { threadCpuUs } from '../accounting/proc-stats.js';
import type { ColdStartPhases, OutputSink, ResourceUsage, Sandbox, SandboxExit } from '../sandbox.js';
import { LineTail } from '../launch/stderr-tail.js';

export interface WorkerLaunchPlan {
  instanceId: string;
  protocol: 'http1' | 'h2c';
  handlerModule: string;
  memoryLimitBytes?: number;
  env: Record<string, string>;
  /** A prewarmed generic worker to specialise instead of starting one. */
  adopt?: Worker;
  onFirstInvocation?: () => void;
  /** Terminate the worker if it is not ready by then. */
  readyTimeoutMs: number;
  /** The container name its output is filed under. */
  containerName: string;
  /** Receives every chunk of its stdout and stderr. */
  onOutput?: OutputSink;
}

/** Starts a generic (prewarmed) runner worker that waits for `hivelab-specialize`. */
export function startGenericWorker(): Worker {
  const data: WorkerRunnerData = { port: 0, protocol: 'http1' };
  return new Worker(runtimeRunnerPath(), {
    workerData: data,
    // The thread's own process.env, allow-list only; specialising replaces it with the instance's.
    env: genericRuntimeEnv(process.env),
    stdout: true,
    stderr: true,
  });
}

const MB = 1024 * 1024;

export class WorkerSandbox implements Sandbox {
  readonly instanceId: string;
  readonly pid: number | undefined = undefined;
  readonly restoredFromSnapshot = false;
  readonly ready: Promise<ColdStartPhases>;
  readonly exited: Promise<SandboxExit>;
  private worker: Worker | undefined;
  private assignedPort = 0;
  private tid: number | undefined;
  private heapUsedBytes = 0;
  private peakHeapUsedBytes = 0;
  private stopping = false;
  private gone = false;
  private lastError: (Error & { code?: string }) | undefined;
  private notReadyInTime = false;
  private readonly stderr = new LineTail();
  private resolveExit!: (exit: SandboxExit) => void;

  constructor(private readonly plan: WorkerLaunchPlan) {
    this.instanceId = plan.instanceId;
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    this.ready = this.start(epochNowMs()).catch((error: unknown) => {
      if (!this.worker) {
        this.gone = true;
        this.resolveExit(couldNotStartExit(error));
      }
      throw error;
    });
    this.ready.catch(() => undefined);
  }

  get port(): number {
    return this.assignedPort;
  }

  private async start(launchAt: number): Promise<ColdStartPhases> {
    const { plan } = this;
    this.assignedPort = await pickFreePort();
    const env = { ...plan.env, PORT: String(this.assignedPort) };
    let spawnedAt = launchAt;
    let worker: Worker;
    if (plan.adopt) {
      worker = plan.adopt;
    } else {
      const data: WorkerRunnerData = {
        handlerModule: plan.handlerModule,
        port: this.assignedPort,
        protocol: plan.protocol,
      };
      worker = new Worker(runtimeRunnerPath(), {
        workerData: data,
        // The worker's own process.env: exactly the instance's, as for a process (instance-env.ts).
        env,
        stdout: true,
        stderr: true,
        ...(plan.memoryLimitBytes === undefined
          ? {}
          : {
              resourceLimits: { maxOldGenerationSizeMb: Math.max(8, Math.floor(plan.memoryLimitBytes / MB)) },
            }),
      });
    }
    this.worker = worker;
    const report = this.watch(worker);
    if (plan.adopt) {
      const message: SpecializeMessage = {
        type: 'hivelab-specialize',
        handlerModule: plan.handlerModule,
        port: this.assignedPort,
        protocol: plan.protocol,
        env,
      };
      worker.postMessage(message);
    } else {
      spawnedAt = await new Promise<number>((resolve) => worker.once('online', () => resolve(epochNowMs())));
    }
    let deadline: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      report,
      this.exited.then((exit) => Promise.reject(new Error(`instance ${plan.instanceId} ${exit.message}`))),
      new Promise<never>(() => {
        deadline = setTimeout(() => {
          this.notReadyInTime = true;
          void worker.terminate();
        }, plan.readyTimeoutMs);
        deadline.unref();
      }),
    ]).finally(() => clearTimeout(deadline));
    this.tid = ready.tid;
    return computePhases({
      launchAt,
      spawnedAt,
      runtimeUpAt: ready.runtimeUpAt,
      codeLoadedAt: ready.codeLoadedAt,
      initDoneAt: ready.initDoneAt,
      readyAt: Math.max(epochNowMs(), ready.listeningAt),
    });
  }

  private watch(worker: Worker): Promise<RunnerReadyReport> {
    return new Promise((resolveReady) => {
      worker.on('message', (message: unknown) => {
        const report = asRunnerReport(message);
        if (report?.type === 'hivelab-ready') resolveReady(report);
        else if (report?.type === 'hivelab-invoked') this.plan.onFirstInvocation?.();
        else if (report?.type === 'hivelab-usage') {
          this.heapUsedBytes = report.heapUsedBytes;
          this.peakHeapUsedBytes = report.peakHeapUsedBytes;
        }
      });
      const { containerName, onOutput } = this.plan;
      if (onOutput) worker.stdout.on('data', (chunk: Buffer) => onOutput(containerName, 'stdout', chunk));
      else worker.stdout.resume();
      worker.stderr.setEncoding('utf8');
      worker.stderr.on('data', (chunk: string) => {
        onOutput?.(containerName, 'stderr', Buffer.from(chunk, 'utf8'));
        this.stderr.push(chunk);
      });
      worker.on('error', (error) => {
        this.lastError = error;
      });
      worker.once('exit', (code) => {
        this.gone = true;
        const error = this.lastError;
        const oom = error?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const lines = this.stderr.all();
        if (error && !oom) lines.push(`${error.name}: ${error.message}`);
        const exit = classifyExit({
          code,
          signal: null,
          stopping: this.stopping,
          killedOverMemory: oom,
          memoryLimitBytes: this.plan.memoryLimitBytes,
          enforcedBy: 'worker resourceLimits',
          stderrLines: lines,
        });
        if (this.notReadyInTime) {
          exit.message = `did not get ready within ${this.plan.readyTimeoutMs} ms and was terminated (${exit.message})`;
        }
        this.resolveExit(exit);
      });
    });
  }

  usage(): ResourceUsage {
    if (this.gone) return { cpuUs: 0, rssBytes: 0, peakRssBytes: 0 };
    return {
      cpuUs: this.tid === undefined ? 0 : threadCpuUs(this.tid),
      rssBytes: this.heapUsedBytes,
      peakRssBytes: Math.max(this.peakHeapUsedBytes, this.heapUsedBytes),
    };
  }

  resetPeak(): void {
    this.peakHeapUsedBytes = this.heapUsedBytes;
    this.worker?.postMessage({ type: 'hivelab-reset-peak' });
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (!this.worker) await this.ready.catch(() => undefined);
    const worker = this.worker;
    if (!worker || this.gone) return;
    worker.postMessage({ type: 'hivelab-stop' });
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
