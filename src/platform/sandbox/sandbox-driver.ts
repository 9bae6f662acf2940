/**
 * `createSandboxDriver`: launches instances of a function in a `process`, `worker` or
 * `container` sandbox (each kind's launcher lives in its folder), tracks them so `close`
 * stops them, and hands each instance's output to `onOutput` (log files), then its end.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionSpec } from '../function-spec/function-spec.js';
import { detectIsolation, isolationWithoutCgroups } from './accounting/isolation.js';
import type { Isolation } from './accounting/isolation.js';
import { SnapshotStore } from './cold-start/snapshot-store.js';
import { deferredOutput } from './deferred-output.js';
import { createContainerLauncher } from './container/container-driver.js';
import { couldNotStartExit } from './launch/exit-reason.js';
import { RevisionNumbers, instanceEnv } from './launch/instance-env.js';
import type { SandboxLauncher } from './launch/launcher.js';
import { createProcessLauncher } from './process/process-launcher.js';
import { ProcessPodNetworks } from './process/process-pod-networks.js';
import type { InstanceOutput, Sandbox, SandboxDriver } from './sandbox.js';
import { createWorkerLauncher } from './worker/worker-launcher.js';

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
   * Process sandbox: `auto` gives each spawned instance its own network namespace, as a
   * Knative pod (`PORT` = containerPort), where the machine allows (root, ip, iptables,
   * nsenter), else the host network with a random `PORT`; `off` always the latter.
   * @default `HIVELAB_POD_NETWORK` (`off` or `auto`), else 'auto'
   */
  podNetwork?: 'auto' | 'off';
  /**
   * Where each instance's output goes, for every sandbox kind: called once per launch; the
   * output it returns gets every chunk of the instance's stdout and stderr as it comes
   * (per container: a process or worker instance is one container, named after the spec's
   * first container or `user-container`), then `end` once the instance is gone.
   */
  onOutput?: (spec: FunctionSpec, instanceId: string) => InstanceOutput | undefined;
}

/** The driver, with hivelab's extras beside the `SandboxDriver` port. */
export interface HivelabSandboxDriver extends SandboxDriver {
  readonly isolation: Isolation;
  /** Resolves when a background snapshot build of the function ends (its blob, if any). */
  snapshotBuilt(spec: FunctionSpec): Promise<string | undefined>;
  /** Generic runtimes waiting in the prewarm pool now. */
  prewarmAvailable(): number;
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
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const launcher = launcherFor(kind, { ...options, log, isolation, stateDir, ownStateDir, readyTimeoutMs });
  const live = new Set<Sandbox>();

  function launch(spec: FunctionSpec, instanceId: string): Sandbox {
    const onOutput = options.onOutput;
    // The log files are set up once the launch is under way, not before it (deferred-output.ts).
    const output = onOutput ? deferredOutput(() => onOutput(spec, instanceId)) : undefined;
    let sandbox: Sandbox;
    try {
      sandbox = launcher.launch(spec, instanceId, output?.write);
    } catch (error) {
      output?.end(couldNotStartExit(error));
      throw error;
    }
    live.add(sandbox);
    void sandbox.exited.then((exit) => {
      live.delete(sandbox);
      output?.end(exit);
    });
    return sandbox;
  }

  return {
    kind,
    isolation,
    launch,
    prepare: (spec) => launcher.prepare(spec),
    snapshotBuilt: (spec) => launcher.snapshotBuilt(spec),
    prewarmAvailable: () => launcher.prewarmAvailable(),
    async close() {
      await Promise.all([...live].map((sandbox) => sandbox.stop(2000)));
      await launcher.close();
      if (ownStateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

interface LauncherContext extends SandboxDriverOptions {
  log: (line: string) => void;
  isolation: Isolation;
  stateDir: string;
  ownStateDir: boolean;
  readyTimeoutMs: number;
}

function launcherFor(kind: FunctionSpec['sandbox'], context: LauncherContext): SandboxLauncher {
  const { log, isolation, stateDir, readyTimeoutMs } = context;
  if (kind === 'container') {
    return createContainerLauncher({
      stateDir,
      imagesDir:
        context.imagesDir ??
        (context.ownStateDir ? path.join(os.tmpdir(), 'hivelab-images') : path.join(stateDir, 'images')),
      ...(context.ociRuntime ? { runtime: context.ociRuntime } : {}),
      ...(context.bindMounts ? { bindMounts: context.bindMounts } : {}),
      readyTimeoutMs,
      isolation,
      log,
    });
  }
  log(`sandbox ${kind}: ${isolation.detail}`);
  const revisions = new RevisionNumbers();
  const envFor = (spec: FunctionSpec, instanceId: string): Record<string, string> =>
    instanceEnv(spec, { instanceId, revision: revisions.revisionOf(spec) }, process.env);
  const poolSize = Math.max(1, context.prewarmPoolSize ?? 1);
  if (kind === 'worker') return createWorkerLauncher({ poolSize, readyTimeoutMs, log, envFor });
  return createProcessLauncher({
    networks: new ProcessPodNetworks({
      mode: context.podNetwork ?? (process.env.HIVELAB_POD_NETWORK === 'off' ? 'off' : 'auto'),
      poolSize: 1,
      log,
    }),
    isolation,
    snapshots: new SnapshotStore(stateDir, log),
    poolSize,
    readyTimeoutMs,
    log,
    envFor,
  });
}
