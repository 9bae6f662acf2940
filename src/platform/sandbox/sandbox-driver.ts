/**
 * `createSandboxDriver`: launches instances of a function in a `process` or `worker`
 * sandbox, in the function's cold-start mode (`boot`, `snapshot`, `prewarm`).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import { asRunnerReport, isRuntimeRunnerPath, runtimeRunnerPath } from '../runtime/index.js';
import type { FunctionSpec } from '../spec/function-spec.js';
import { RevisionNumbers, genericRuntimeEnv, instanceEnv } from './launch/instance-env.js';
import { detectIsolation, isolationWithoutCgroups } from './accounting/isolation.js';
import type { Isolation } from './accounting/isolation.js';
import { PrewarmPool } from './cold-start/prewarm-pool.js';
import type { PoolEntry } from './cold-start/prewarm-pool.js';
import { ProcessSandbox } from './process/process-sandbox.js';
import { restoreEnv } from './cold-start/restore-env.js';
import type { Sandbox, SandboxDriver } from './sandbox.js';
import { SnapshotStore } from './cold-start/snapshot-store.js';
import { createContainerLauncher } from './container/container-driver.js';
import type { OutputSink } from './container/container-plan.js';
import { WorkerSandbox, startGenericWorker } from './worker/worker-sandbox.js';

export interface SandboxDriverOptions {
  /** Where snapshot blobs live. Kept on close when given; a temp dir otherwise (removed on close). */
  stateDir?: string;
  /** `auto`: use cgroups when this machine lets us. @default 'auto' */
  cgroups?: 'auto' | 'off';
  /** Generic runtimes kept ready for `prewarm` functions. @default 1 */
  prewarmPoolSize?: number;
  /** An instance not ready by then is killed and its launch fails. @default 120000 */
  readyTimeoutMs?: number;
  /** Where the driver says what it does (isolation found, snapshots built). @default no-op */
  log?: (line: string) => void;
  /** Container sandbox: where images are unpacked (once per digest). @default `<stateDir>/images`, else a shared temp folder */
  imagesDir?: string;
  /** Container sandbox: `runc`, `crun` or a path. @default `HIVELAB_OCI_RUNTIME`, else runc, else crun */
  ociRuntime?: string;
  /** Container sandbox: host folders mounted read-only at the same path in every container. */
  bindMounts?: readonly string[];
  /**
   * Where each instance's output goes, as it comes: called once per launch, and the sink
   * it returns gets every chunk of the instance's stdout and stderr (for log files).
   */
  onOutput?: (instanceId: string) => OutputSink | undefined;
}

/** The driver, with hivelab's extras beside the `SandboxDriver` port. */
export interface HivelabSandboxDriver extends SandboxDriver {
  readonly isolation: Isolation;
  /** Resolves when a background snapshot build of the function ends (its blob, if any). */
  snapshotBuilt(spec: FunctionSpec): Promise<string | undefined>;
  /** Generic runtimes waiting in the prewarm pool now. */
  prewarmAvailable(): number;
}

function needsJavaScript(
  spec: FunctionSpec,
  what: string,
  instead = "'boot' works for any executable",
): string {
  if (spec.handlerModule) return spec.handlerModule;
  throw new UserError(
    `function '${spec.name}': ${what} needs a JavaScript function (builtin: image or hivelab/sdk handler); ${instead}`,
    'set hivelab.dev/cold-start to boot and hivelab.dev/sandbox to process, or deploy a JavaScript function module',
  );
}

function startGenericProcess(): PoolEntry<ChildProcess> {
  const child = spawn(process.execPath, [runtimeRunnerPath()], {
    env: { ...genericRuntimeEnv(process.env), HIVELAB_PREWARM: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.on('error', () => undefined);
  const idle = new Promise<void>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      if (asRunnerReport(message)?.type === 'hivelab-idle') resolve();
    });
    child.once('exit', () => reject(new Error('prewarmed runtime exited')));
  });
  idle.catch(() => undefined);
  return { runtime: child, idle };
}

function startPooledWorker(): PoolEntry<Worker> {
  const worker = startGenericWorker();
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

/**
 * Creates a driver for one sandbox kind.
 * @param kind `process` (a child process per instance), `worker` (a worker thread) or
 *   `container` (a pod of OCI containers run by runc).
 * @throws UserError for `container` on a machine that cannot run containers, naming the fix.
 */
export function createSandboxDriver(
  kind: 'process' | 'worker' | 'container',
  options: SandboxDriverOptions = {},
): HivelabSandboxDriver {
  const log = options.log ?? (() => undefined);
  const isolation = options.cgroups === 'off' ? isolationWithoutCgroups() : detectIsolation();
  const ownStateDir = options.stateDir === undefined;
  const stateDir =
    options.stateDir ?? path.join(os.tmpdir(), `hivelab-state-${process.pid}-${Date.now().toString(36)}`);
  if (kind === 'container') return containerDriver(isolation, stateDir, ownStateDir, options);
  log(`sandbox ${kind}: ${isolation.detail}`);
  const snapshots = new SnapshotStore(stateDir, log);
  const poolSize = Math.max(1, options.prewarmPoolSize ?? 1);
  const exitedChildren = new WeakSet<ChildProcess>();
  const exitedWorkers = new WeakSet<Worker>();
  const processPool = new PrewarmPool<ChildProcess>(
    {
      start: () => {
        const entry = startGenericProcess();
        entry.runtime.once('exit', () => exitedChildren.add(entry.runtime));
        return entry;
      },
      isAlive: (child) => !exitedChildren.has(child) && child.exitCode === null,
      dispose: (child) => child.kill('SIGKILL'),
    },
    poolSize,
  );
  const workerPool = new PrewarmPool<Worker>(
    {
      start: () => {
        const entry = startPooledWorker();
        entry.runtime.once('exit', () => exitedWorkers.add(entry.runtime));
        return entry;
      },
      isAlive: (worker) => !exitedWorkers.has(worker),
      dispose: (worker) => void worker.terminate(),
    },
    poolSize,
  );
  const live = new Set<Sandbox>();
  const revisions = new RevisionNumbers();
  const envFor = (spec: FunctionSpec, instanceId: string): Record<string, string> =>
    instanceEnv(spec, { instanceId, revision: revisions.revisionOf(spec) }, process.env);
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;

  function track<S extends Sandbox>(sandbox: S): S {
    live.add(sandbox);
    void sandbox.exited.then(() => live.delete(sandbox));
    return sandbox;
  }

  function launchProcess(spec: FunctionSpec, instanceId: string): Sandbox {
    const env = envFor(spec, instanceId);
    const base = {
      instanceId,
      readyTimeoutMs,
      protocol: spec.protocol,
      isolation,
      env,
      ...(spec.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: spec.memoryLimitBytes }),
      ...(spec.cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores: spec.cpuLimitMillicores }),
    };
    const boot = (onFirstInvocation?: () => void): Sandbox =>
      new ProcessSandbox({
        ...base,
        spawn: { command: spec.command, cwd: spec.workingDir },
        runnerReports: spec.command.some(isRuntimeRunnerPath),
        ...(onFirstInvocation ? { onFirstInvocation } : {}),
      });
    if (spec.coldStart === 'snapshot') {
      const handlerModule = needsJavaScript(spec, "cold-start mode 'snapshot'");
      const blob = snapshots.blobFor(handlerModule);
      if (blob) {
        const restored = new ProcessSandbox({
          ...base,
          env: restoreEnv(env),
          spawn: { command: [process.execPath, '--snapshot-blob', blob], cwd: spec.workingDir },
          runnerReports: true,
        });
        restored.ready.catch(() => {
          log(`instance ${instanceId} failed to start from ${blob}: later instances boot`);
          snapshots.forget(handlerModule);
        });
        return restored;
      }
      // First launches boot; the first invocation triggers the snapshot (vHive takes it after one).
      return boot(() => snapshots.buildInBackground(handlerModule, spec.workingDir, env));
    }
    if (spec.coldStart === 'prewarm') {
      const handlerModule = needsJavaScript(spec, "cold-start mode 'prewarm'");
      // The pool refills once this cold start is over: first request answered, or failed.
      let over!: () => void;
      const coldStartOver = new Promise<void>((resolve) => (over = resolve));
      const child = processPool.take(coldStartOver);
      if (!child) log(`prewarm pool empty: booting ${instanceId}`);
      const sandbox = child
        ? new ProcessSandbox({
            ...base,
            adopt: { child, handlerModule, cwd: spec.workingDir },
            runnerReports: true,
            onFirstInvocation: over,
          })
        : boot(over);
      sandbox.ready.catch(over);
      return sandbox;
    }
    return boot();
  }

  function launchWorker(spec: FunctionSpec, instanceId: string): Sandbox {
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
    const adopt = spec.coldStart === 'prewarm' ? workerPool.take(coldStartOver) : undefined;
    if (spec.coldStart === 'prewarm' && !adopt) log(`prewarm pool empty: booting ${instanceId}`);
    const sandbox = new WorkerSandbox({
      instanceId,
      readyTimeoutMs,
      protocol: spec.protocol,
      handlerModule,
      env: envFor(spec, instanceId),
      ...(spec.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: spec.memoryLimitBytes }),
      ...(adopt ? { adopt } : {}),
      onFirstInvocation: over,
    });
    sandbox.ready.catch(over);
    return sandbox;
  }

  return {
    kind,
    isolation,
    launch: (spec, instanceId) =>
      track(kind === 'process' ? launchProcess(spec, instanceId) : launchWorker(spec, instanceId)),
    async prepare(spec) {
      if (spec.coldStart !== 'prewarm') return;
      needsJavaScript(spec, "cold-start mode 'prewarm'");
      await (kind === 'process' ? processPool.fill() : workerPool.fill());
    },
    snapshotBuilt: (spec) =>
      spec.handlerModule ? snapshots.whenBuilt(spec.handlerModule) : Promise.resolve(undefined),
    prewarmAvailable: () => (kind === 'process' ? processPool.available : workerPool.available),
    async close() {
      processPool.close();
      workerPool.close();
      await Promise.all([...live].map((sandbox) => sandbox.stop(2000)));
      if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function containerDriver(
  isolation: Isolation,
  stateDir: string,
  ownStateDir: boolean,
  options: SandboxDriverOptions,
): HivelabSandboxDriver {
  const launcher = createContainerLauncher({
    stateDir,
    ownStateDir,
    imagesDir:
      options.imagesDir ??
      (ownStateDir ? path.join(os.tmpdir(), 'hivelab-images') : path.join(stateDir, 'images')),
    ...(options.ociRuntime ? { runtime: options.ociRuntime } : {}),
    ...(options.bindMounts ? { bindMounts: options.bindMounts } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    isolation,
    log: options.log ?? (() => undefined),
  });
  return {
    kind: 'container',
    isolation,
    launch: (spec, instanceId) => launcher.launch(spec, instanceId),
    prepare: (spec) => launcher.prepare(spec),
    snapshotBuilt: () => Promise.resolve(undefined),
    prewarmAvailable: () => 0,
    close: () => launcher.close(),
  };
}
