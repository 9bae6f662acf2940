/**
 * The `process` sandbox's launcher: a child process per instance, in the function's
 * cold-start mode: `boot` spawns the command; `snapshot` restores a V8 startup snapshot
 * built after the first invocation (vHive takes its snapshot after one); `prewarm`
 * specialises a generic runtime waiting in the pool. Spawned instances (boot, snapshot)
 * each get a pod network where the machine allows (process-pod-networks.ts); a prewarmed
 * runtime was started before its function was known, on the host network, and stays there.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { asRunnerReport, isRuntimeRunnerPath, runtimeRunnerPath } from '../../runtime/index.js';
import type { FunctionSpec } from '../../function-spec/function-spec.js';
import type { Isolation } from '../accounting/isolation.js';
import { PrewarmPool } from '../cold-start/prewarm-pool.js';
import type { PoolEntry } from '../cold-start/prewarm-pool.js';
import { restoreEnv } from '../cold-start/restore-env.js';
import type { SnapshotStore } from '../cold-start/snapshot-store.js';
import { genericRuntimeEnv } from '../launch/instance-env.js';
import { needsJavaScript, servingContainerName } from '../launch/launcher.js';
import type { SandboxLauncher } from '../launch/launcher.js';
import type { OutputSink, Sandbox } from '../sandbox.js';
import { DEFAULT_CONTAINER_PORT } from '../network/pod-network-plan.js';
import { ProcessSandbox } from './process-sandbox.js';
import type { ProcessPodNetworks } from './process-pod-networks.js';

export interface ProcessLauncherOptions {
  isolation: Isolation;
  snapshots: SnapshotStore;
  poolSize: number;
  readyTimeoutMs: number;
  log: (line: string) => void;
  /** The instance's env without `PORT` (see launch/instance-env.ts). */
  envFor: (spec: FunctionSpec, instanceId: string) => Record<string, string>;
  /** Pod networks, or the host network where they cannot be had. */
  networks: ProcessPodNetworks;
}

/** A pooled generic runtime; `port` once it said where it listens (with idle). */
interface PooledRuntime {
  child: ChildProcess;
  port?: number;
}

function startGenericProcess(): PoolEntry<PooledRuntime> {
  const child = spawn(process.execPath, [runtimeRunnerPath()], {
    env: { ...genericRuntimeEnv(process.env), HIVELAB_PREWARM: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.on('error', () => undefined);
  const runtime: PooledRuntime = { child };
  const idle = new Promise<void>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      const report = asRunnerReport(message);
      if (report?.type !== 'hivelab-idle') return;
      if (report.port !== undefined) runtime.port = report.port;
      resolve();
    });
    child.once('exit', () => reject(new Error('prewarmed runtime exited')));
  });
  idle.catch(() => undefined);
  return { runtime, idle };
}

export function createProcessLauncher(options: ProcessLauncherOptions): SandboxLauncher {
  const { snapshots, log, networks } = options;
  const onHostNetworkSaid = new Set<string>();
  const exited = new WeakSet<ChildProcess>();
  const pool = new PrewarmPool<PooledRuntime>(
    {
      start: () => {
        const entry = startGenericProcess();
        const { child } = entry.runtime;
        child.once('exit', () => exited.add(child));
        return entry;
      },
      isAlive: ({ child }) => !exited.has(child) && child.exitCode === null,
      dispose: ({ child }) => child.kill('SIGKILL'),
    },
    options.poolSize,
  );

  function launch(spec: FunctionSpec, instanceId: string, output: OutputSink | undefined): Sandbox {
    const env = options.envFor(spec, instanceId);
    const containerPort = spec.containerPort ?? DEFAULT_CONTAINER_PORT;
    // The pod network pool refills once this cold start is over (see process-pod-networks.ts).
    let podColdStartOver!: () => void;
    const podReady = new Promise<void>((resolve) => (podColdStartOver = resolve));
    const podNetwork = { network: () => networks.take(containerPort, podReady) };
    const inPod = (sandbox: Sandbox): Sandbox => {
      sandbox.ready.then(podColdStartOver, podColdStartOver);
      return sandbox;
    };
    const base = {
      instanceId,
      readyTimeoutMs: options.readyTimeoutMs,
      protocol: spec.protocol,
      isolation: options.isolation,
      env,
      containerName: servingContainerName(spec),
      ...(output ? { onOutput: output } : {}),
      ...(spec.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: spec.memoryLimitBytes }),
      ...(spec.cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores: spec.cpuLimitMillicores }),
    };
    const boot = (onFirstInvocation?: () => void, onHost = false): Sandbox =>
      new ProcessSandbox({
        ...base,
        ...(onHost ? {} : podNetwork),
        spawn: { command: spec.command, cwd: spec.workingDir },
        runnerReports: spec.command.some(isRuntimeRunnerPath),
        ...(onFirstInvocation ? { onFirstInvocation } : {}),
      });
    if (spec.coldStart === 'snapshot') {
      const handlerModule = needsJavaScript(spec, "cold-start mode 'snapshot'");
      const blob = snapshots.blobFor(handlerModule);
      if (blob) {
        const restored = inPod(
          new ProcessSandbox({
            ...base,
            ...podNetwork,
            env: restoreEnv(env),
            spawn: { command: [process.execPath, '--snapshot-blob', blob], cwd: spec.workingDir },
            runnerReports: true,
          }),
        );
        restored.ready.catch(() => {
          log(`instance ${instanceId} failed to start from ${blob}: later instances boot`);
          snapshots.forget(handlerModule);
        });
        return restored;
      }
      // First launches boot; the first invocation triggers the snapshot (vHive takes it after one).
      return inPod(boot(() => snapshots.buildInBackground(handlerModule, spec.workingDir, env)));
    }
    if (spec.coldStart === 'prewarm') {
      const handlerModule = needsJavaScript(spec, "cold-start mode 'prewarm'");
      const key = `${spec.namespace}/${spec.name}`;
      if (networks.enabled && !onHostNetworkSaid.has(key)) {
        onHostNetworkSaid.add(key);
        log(
          `function ${key}: cold-start mode 'prewarm' specialises a runtime already running on the host network: its instances get a random host PORT, not containerPort ${containerPort}`,
        );
      }
      // The pool refills once this cold start is over: first request answered, or failed.
      let over!: () => void;
      const coldStartOver = new Promise<void>((resolve) => (over = resolve));
      const runtime = pool.take(coldStartOver);
      if (!runtime) log(`prewarm pool empty: booting ${instanceId}`);
      const sandbox = runtime
        ? new ProcessSandbox({
            ...base,
            adopt: {
              child: runtime.child,
              ...(runtime.port === undefined ? {} : { port: runtime.port }),
              handlerModule,
              cwd: spec.workingDir,
            },
            runnerReports: true,
            onFirstInvocation: over,
          })
        : boot(over, true);
      sandbox.ready.catch(over);
      return sandbox;
    }
    return inPod(boot());
  }

  return {
    launch,
    async prepare(spec) {
      if (spec.coldStart !== 'prewarm') return networks.fill(spec.containerPort ?? DEFAULT_CONTAINER_PORT);
      needsJavaScript(spec, "cold-start mode 'prewarm'");
      await pool.fill();
    },
    snapshotBuilt: (spec) =>
      spec.handlerModule ? snapshots.whenBuilt(spec.handlerModule) : Promise.resolve(undefined),
    prewarmAvailable: () => pool.available,
    async close() {
      pool.close();
      await Promise.all([snapshots.settled(), networks.close()]);
    },
  };
}
