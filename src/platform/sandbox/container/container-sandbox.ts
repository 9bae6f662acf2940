/**
 * The `container` sandbox: one instance is a pod of OCI containers run by runc (or crun)
 * in the foreground (`runc run`), so the runtime is the child of hivelab, forwards its
 * signals and exits with the container's status. The pod has its own network namespace
 * (`PORT` = the container port), its own cgroup with the instance's limits, and each
 * container its own PID, mount, IPC and UTS namespaces.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { epochNowMs, runtimeRunnerPath } from '../../runtime/index.js';
import { expandVars } from '../../function-spec/index.js';
import type { RunnerReadyReport } from '../../runtime/index.js';
import { classifyExit, couldNotStartExit } from '../launch/exit-reason.js';
import { computePhases } from '../cold-start/phases.js';
import { describeListening, listeningPorts } from '../probes/listening-ports.js';
import { untilPodReady } from './pod-ready.js';
import type { ColdStartPhases, ContainerSteps, ResourceUsage, Sandbox, SandboxExit } from '../sandbox.js';
import { LineTail } from '../launch/stderr-tail.js';
import type { ContainerLaunchPlan, PodContainer } from './container-plan.js';
import type { UnpackedImage } from './image-store.js';
import { HOST_ENV_ALLOW_LIST, pickHostEnv } from '../launch/instance-env.js';
import { PodCgroup } from './pod-cgroup.js';
import { startPodProcess } from './pod-process.js';
import type { PodNetwork } from '../network/pod-network.js';
import { podReachableEnv } from '../network/pod-env.js';
import { runCommand } from '../launch/run-command.js';
import { containerBundleSpec, containerEnv } from './container-bundle.js';
import {
  readyReportOf,
  waitForPidFile,
  wireContainer,
  type ContainerExitStatus,
  type RunningContainer,
} from './running-container.js';

function safeId(instanceId: string): string {
  return `${instanceId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${process.pid}-${Date.now().toString(36)}`;
}

export class ContainerSandbox implements Sandbox {
  readonly instanceId: string;
  readonly ready: Promise<ColdStartPhases>;
  readonly exited: Promise<SandboxExit>;
  private readonly id: string;
  private readonly bundleRoot: string;
  private network: PodNetwork | undefined;
  private cgroup: PodCgroup | undefined;
  private running: RunningContainer[] = [];
  private stopping = false;
  private gone = false;
  private notReadyInTime = false;
  private listeningAtDeadline: string | undefined;
  private readonly stderr = new LineTail();
  private resolveExit!: (exit: SandboxExit) => void;
  /** Settles when this cold start is over (ready or failed): the pod network pool refills after it. */
  private readonly coldStartOver: Promise<void>;

  constructor(private readonly plan: ContainerLaunchPlan) {
    this.instanceId = plan.instanceId;
    this.id = safeId(plan.instanceId);
    this.bundleRoot = path.join(plan.stateDir, 'bundles', this.id);
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    let over!: () => void;
    this.coldStartOver = new Promise<void>((resolve) => {
      over = resolve;
    });
    this.ready = this.start(epochNowMs()).catch(async (error: unknown) => {
      if (this.running.length === 0) {
        this.gone = true;
        await this.cleanUp();
        this.resolveExit(couldNotStartExit(error));
      } else {
        await this.kill();
      }
      throw error;
    });
    this.ready.then(over, over);
  }

  get port(): number {
    return this.network?.hostPort ?? 0;
  }

  get pod(): { ip: string; containerPort: number } | undefined {
    return this.network ? { ip: this.network.plan.podIp, containerPort: this.plan.containerPort } : undefined;
  }

  get pid(): number | undefined {
    return this.running[0]?.child.pid;
  }

  private async start(launchAt: number): Promise<ColdStartPhases> {
    const { plan } = this;
    const imagesAt = performance.now();
    const networkPromise = plan.networks.take(plan.containerPort, this.coldStartOver).then((network) => {
      this.network = network;
      return performance.now();
    });
    networkPromise.catch(() => undefined);
    const images = await Promise.all(
      plan.containers.map((c) =>
        c.builtin === undefined ? plan.images.get(c.image) : Promise.resolve(undefined),
      ),
    );
    const imagesDoneAt = performance.now();
    const networkDoneAt = await networkPromise;
    if (this.stopping) throw new Error(`instance ${plan.instanceId} was stopped while starting`);
    this.cgroup = PodCgroup.create(plan.isolation, plan.instanceId, {
      ...(plan.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: plan.memoryLimitBytes }),
      ...(plan.cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores: plan.cpuLimitMillicores }),
    });
    if (!this.cgroup) throw new Error('the container sandbox needs a writable cgroup (v1 or v2) for its pod');
    const createStartedAt = performance.now();
    let servingReport: Promise<RunnerReadyReport> | undefined;
    let servingSpawnedAt = 0;
    for (const [index, container] of plan.containers.entries()) {
      const image = images[index];
      const running = image
        ? this.run(container, await this.writeBundle(container, image, index === 0))
        : this.runBuiltin(container, index === 0);
      if (index === 0) {
        servingReport = readyReportOf(running.child);
        servingSpawnedAt = epochNowMs();
      }
      this.running.push(running);
    }
    const serving = this.running[0]!;
    const createdAt =
      serving.kind === 'runc'
        ? await waitForPidFile(path.join(this.bundleRoot, serving.name, 'pid'), () => this.gone)
        : servingSpawnedAt;
    if (createdAt === undefined) {
      const exit = await this.exited;
      throw new Error(`instance ${plan.instanceId} ended before its container started: ${exit.message}`);
    }
    const createDoneAt = performance.now();
    await untilPodReady({
      instanceId: plan.instanceId,
      port: this.port,
      protocol: plan.protocol,
      timeoutMs: plan.readyTimeoutMs,
      report: servingReport,
      exited: this.exited,
      gone: () => this.gone,
      onTimeout: () => {
        this.notReadyInTime = true;
        this.listeningAtDeadline = describeListening(
          plan.containerPort,
          listeningPorts(this.cgroup?.pids() ?? []),
        );
        void this.kill();
      },
    });
    const readyAt = epochNowMs();
    const report = await Promise.race([servingReport, Promise.resolve(undefined)]);
    const steps: ContainerSteps = {
      imageMs: imagesDoneAt - imagesAt,
      unpacked: images.some((i) => (i?.unpackMs ?? 0) > 0),
      networkMs: Math.max(0, networkDoneAt - imagesDoneAt),
      createMs: createDoneAt - createStartedAt,
    };
    return {
      ...computePhases({
        launchAt,
        spawnedAt: createdAt,
        readyAt,
        ...(report
          ? {
              runtimeUpAt: report.runtimeUpAt,
              codeLoadedAt: report.codeLoadedAt,
              initDoneAt: report.initDoneAt,
            }
          : {}),
      }),
      container: steps,
    };
  }

  private async writeBundle(
    container: PodContainer,
    image: UnpackedImage,
    serving: boolean,
  ): Promise<string> {
    const spec = containerBundleSpec({
      container,
      image,
      platformEnv: this.platformEnv(serving),
      hostname: this.plan.instanceId.slice(0, 63),
      netnsPath: this.network!.netnsPath,
      cgroupsPath: this.cgroup!.cgroupsPath(container.name),
      ...(this.plan.bindMounts ? { bindMounts: this.plan.bindMounts } : {}),
    });
    const bundle = path.join(this.bundleRoot, container.name);
    await mkdir(bundle, { recursive: true });
    await writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec));
    return bundle;
  }

  /** What the platform sets in a container: hivelab's URLs as the pod reaches them, `PORT` in the serving one. */
  private platformEnv(serving: boolean): Record<string, string> {
    const { plan } = this;
    const env = podReachableEnv(plan.platformEnv, this.network!.plan.hostIp);
    return serving ? { ...env, PORT: String(plan.containerPort) } : env;
  }

  private runtimeArgs(...args: string[]): string[] {
    return ['--root', path.join(this.plan.stateDir, 'runtime'), ...args];
  }

  private run(container: PodContainer, bundle: string): RunningContainer {
    const id = `${this.id}-${container.name}`;
    const child = spawn(
      this.plan.runtime,
      this.runtimeArgs('run', '--bundle', bundle, '--pid-file', path.join(bundle, 'pid'), id),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return this.wire('runc', container, id, child);
  }

  /** A built-in standing in for the image: hivelab's runtime runs it inside the pod. */
  private runBuiltin(container: PodContainer, serving: boolean): RunningContainer {
    const defined = containerEnv(container, this.platformEnv(serving));
    const args = (container.args ?? []).map((a) => expandVars(a, defined));
    const child = startPodProcess({
      command: [process.execPath, runtimeRunnerPath(), container.builtin!, ...args],
      // It runs on the host's file system: the host allow-list (PATH, HOME, …) as for a process instance.
      env: { ...pickHostEnv(process.env, HOST_ENV_ALLOW_LIST), ...defined },
      netnsPath: this.network!.netnsPath,
      procsFiles: this.cgroup!.procsFilesFor(container.name),
      cwd: os.tmpdir(),
    });
    return this.wire('process', container, `${this.id}-${container.name}`, child);
  }

  private wire(
    kind: RunningContainer['kind'],
    container: PodContainer,
    id: string,
    child: ChildProcess,
  ): RunningContainer {
    return wireContainer(kind, container.name, id, child, {
      onOutput: (name, stream, chunk) => this.plan.onOutput?.(name, stream, chunk),
      onStderrText: (text) => this.stderr.push(text),
      onExit: (status) => this.onContainerExit(status),
    });
  }

  /** The first container to end ends the pod (the instance manager replaces it). */
  private onContainerExit(status: ContainerExitStatus): void {
    if (this.gone) return;
    this.gone = true;
    const sigkill = status.signal === 'SIGKILL';
    const killedOverMemory = this.cgroup?.oomKilled(sigkill) ?? false;
    void (async () => {
      await this.kill();
      await Promise.all(this.running.map((r) => r.exit));
      const exit = classifyExit({
        code: status.code,
        signal: status.signal,
        stopping: this.stopping,
        killedOverMemory: killedOverMemory || (this.cgroup?.oomKilled(sigkill) ?? false),
        memoryLimitBytes: this.plan.memoryLimitBytes,
        enforcedBy: `cgroup ${this.plan.isolation.cgroup} OOM killer`,
        stderrLines: this.stderr.all(),
      });
      if (this.notReadyInTime) {
        const listening = this.listeningAtDeadline ? `: ${this.listeningAtDeadline}` : '';
        exit.message = `did not get ready within ${this.plan.readyTimeoutMs} ms and was killed${listening} (${exit.message})`;
      }
      await this.cleanUp();
      this.resolveExit(exit);
    })();
  }

  /** SIGKILL to every container still running (runc cannot forward SIGKILL: it asks the runtime). */
  private async kill(): Promise<void> {
    await Promise.all(
      this.running
        .filter((r) => r.child.exitCode === null && r.child.signalCode === null)
        .map((r) =>
          r.kind === 'process'
            ? Promise.resolve(void r.child.kill('SIGKILL'))
            : runCommand(this.plan.runtime, this.runtimeArgs('kill', r.id, 'KILL')).catch(() => undefined),
        ),
    );
  }

  private async cleanUp(): Promise<void> {
    await Promise.all(
      this.running
        .filter((r) => r.kind === 'runc')
        .map((r) =>
          runCommand(this.plan.runtime, this.runtimeArgs('delete', '--force', r.id)).catch(() => undefined),
        ),
    );
    this.cgroup?.remove(this.plan.containers.map((c) => c.name));
    await this.network?.remove();
    await rm(this.bundleRoot, { recursive: true, force: true });
  }

  usage(): ResourceUsage {
    if (!this.cgroup || this.gone) return { cpuUs: 0, rssBytes: 0, peakRssBytes: 0 };
    return { cpuUs: this.cgroup.cpuUs(), ...this.cgroup.memory() };
  }

  resetPeak(): void {
    if (!this.gone) this.cgroup?.resetPeak();
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.running.length === 0) {
      await this.ready.catch(() => undefined);
      if (this.running.length === 0) return;
    }
    if (!this.gone) {
      // runc forwards SIGTERM to each container's first process.
      for (const r of this.running) r.child.kill('SIGTERM');
      const timer = setTimeout(() => void this.kill(), graceMs);
      await this.exited;
      clearTimeout(timer);
      return;
    }
    await this.exited;
  }
}
