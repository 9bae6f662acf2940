/**
 * The `worker` sandbox's launcher: a worker thread of this process per instance, booted
 * or specialised from the prewarm pool (a thread cannot start from a V8 startup snapshot).
 */
import type { Worker } from 'node:worker_threads';
import { UserError } from '../../../errors.js';
import { asRunnerReport } from '../../runtime/index.js';
import type { FunctionSpec } from '../../function-spec/function-spec.js';
import { PrewarmPool } from '../cold-start/prewarm-pool.js';
import type { PoolEntry } from '../cold-start/prewarm-pool.js';
import { needsJavaScript, servingContainerName } from '../launch/launcher.js';
import type { SandboxLauncher } from '../launch/launcher.js';
import { WorkerSandbox, startGenericWorker } from './worker-sandbox.js';

export interface WorkerLauncherOptions {
  poolSize: number;
  readyTimeoutMs: number;
  log: (line: string) => void;
  /** The instance's env without `PORT` (see launch/instance-env.ts). */
  envFor: (spec: FunctionSpec, instanceId: string) => Record<string, string>;
}

function startPooledWorker(): PoolEntry<Worker> {
  const worker = startGenericWorker();
  // Until a launch adopts it, what it prints goes nowhere (and must not fill the pipe).
  worker.stdout.resume();
  worker.stderr.resume();
  const idle = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: unknown) => {
      if (asRunnerReport(message)?.type === 'hivelab-idle') resolve();
    });
    worker.once('exit', () => reject(new Error('prewarmed worker exited')));
  });
  idle.catch(() => undefined);
  return { runtime: worker, idle };
}

export function createWorkerLauncher(options: WorkerLauncherOptions): SandboxLauncher {
  const exited = new WeakSet<Worker>();
  const pool = new PrewarmPool<Worker>(
    {
      start: () => {
        const entry = startPooledWorker();
        entry.runtime.once('exit', () => exited.add(entry.runtime));
        return entry;
      },
      isAlive: (worker) => !exited.has(worker),
      dispose: (worker) => void worker.terminate(),
    },
    options.poolSize,
  );
  return {
    launch(spec, instanceId, output) {
      const handlerModule = needsJavaScript(
        spec,
        "the 'worker' sandbox",
        "the 'process' sandbox runs any executable",
      );
      if (spec.coldStart === 'snapshot') {
        throw new UserError(
          `function '${spec.name}': cold-start mode 'snapshot' needs the process sandbox (a worker thread cannot start from a V8 startup snapshot)`,
          'set hivelab.dev/sandbox to process, or hivelab.dev/cold-start to boot or prewarm',
        );
      }
      // As for processes: the pool refills once this cold start is over.
      let over!: () => void;
      const coldStartOver = new Promise<void>((resolve) => (over = resolve));
      const adopt = spec.coldStart === 'prewarm' ? pool.take(coldStartOver) : undefined;
      if (spec.coldStart === 'prewarm' && !adopt) options.log(`prewarm pool empty: booting ${instanceId}`);
      const sandbox = new WorkerSandbox({
        instanceId,
        readyTimeoutMs: options.readyTimeoutMs,
        protocol: spec.protocol,
        handlerModule,
        env: options.envFor(spec, instanceId),
        containerName: servingContainerName(spec),
        ...(output ? { onOutput: output } : {}),
        ...(spec.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: spec.memoryLimitBytes }),
        ...(adopt ? { adopt } : {}),
        onFirstInvocation: over,
      });
      sandbox.ready.catch(over);
      return sandbox;
    },
    async prepare(spec) {
      if (spec.coldStart !== 'prewarm') return;
      needsJavaScript(spec, "cold-start mode 'prewarm'");
      await pool.fill();
    },
    snapshotBuilt: () => Promise.resolve(undefined),
    prewarmAvailable: () => pool.available,
    close() {
      pool.close();
      return Promise.resolve();
    },
  };
}
