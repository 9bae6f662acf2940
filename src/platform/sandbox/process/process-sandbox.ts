/**
 * The `process` sandbox: one child process, in its own pod network where it has one (see
 * instance-network.ts) and else on a loopback port of the host, optionally inside its own
 * cgroup, with a readiness probe, crash/OOM classification and /proc accounting. It either
 * spawns a command or adopts a prewarmed runtime and specialises it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { epochNowMs } from '../../runtime/index.js';
import { expandVars } from '../../function-spec/index.js';
import type { RunnerReadyReport, SpecializeMessage } from '../../runtime/index.js';
import { classifyExit, couldNotStartExit } from '../launch/exit-reason.js';
import { cgroupWrappedCommand, createInstanceCgroup, joinCgroup } from '../accounting/instance-cgroup.js';
import type { InstanceCgroup } from '../accounting/instance-cgroup.js';
import type { Isolation } from '../accounting/isolation.js';
import { computePhases } from '../cold-start/phases.js';
import { processCpuUs, processMemory, resetPeakRss } from '../accounting/proc-stats.js';
import { startRssWatchdog } from '../accounting/rss-watchdog.js';
import { describeListening, listeningPorts, processTree } from '../probes/listening-ports.js';
import { probeUntilReady } from '../probes/readiness-probe.js';
import type { ColdStartPhases, OutputSink, ResourceUsage, Sandbox, SandboxExit } from '../sandbox.js';
import { LineTail } from '../launch/stderr-tail.js';
import { assertSpawnable } from '../launch/find-on-path.js';
import { watchChild } from './child-watch.js';
import { hostNetwork } from './instance-network.js';
import type { InstanceNetwork } from './instance-network.js';

export interface ProcessLaunchPlan {
  instanceId: string;
  protocol: 'http1' | 'h2c';
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
  isolation: Isolation;
  /** Environment for the instance; the sandbox adds `PORT`. */
  env: Record<string, string>;
  /** The network it runs in (a spawned instance only). @default the host's, a random PORT */
  network?: () => Promise<InstanceNetwork>;
  /** Start a new process … */
  spawn?: { command: string[]; cwd: string };
  /**
   * … or take over a prewarmed runtime (started with an IPC channel); `port`: the one it
   * already listens on (runtime/early-listener.ts), when it said.
   */
  adopt?: { child: ChildProcess; port?: number; handlerModule: string; cwd: string };
  /** The instance is our runner: readiness is its report, not a probe. */
  runnerReports: boolean;
  /** Called once after the instance answered its first invocation (runner only). */
  onFirstInvocation?: () => void;
  /** Kill the instance if it is not ready by then. */
  readyTimeoutMs: number;
  /** The container name its output is filed under. */
  containerName: string;
  /** Receives every chunk of its stdout and stderr. */
  onOutput?: OutputSink;
}

export class ProcessSandbox implements Sandbox {
  readonly instanceId: string;
  readonly ready: Promise<ColdStartPhases>;
  readonly exited: Promise<SandboxExit>;
  /** The runner reported it was restored from a startup snapshot. */
  restoredFromSnapshot = false;
  private child: ChildProcess | undefined;
  private assignedPort = 0;
  private network: InstanceNetwork | undefined;
  private stopping = false;
  private killedOverMemory = false;
  private gone = false;
  private finished = false;
  private notReadyInTime = false;
  private cgroup: InstanceCgroup | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly stderr = new LineTail();
  private resolveExit!: (exit: SandboxExit) => void;

  constructor(private readonly plan: ProcessLaunchPlan) {
    this.instanceId = plan.instanceId;
    this.assignedPort = plan.adopt?.port ?? 0;
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    this.ready = this.start(epochNowMs()).catch((error: unknown) => {
      if (!this.child) {
        // Never got a process (no free port, cgroup refused, command not found).
        this.gone = true;
        this.cgroup?.remove();
        void this.network?.release();
        this.resolveExit(couldNotStartExit(error));
      }
      throw error;
    });
    // The caller may only ever look at `exited`; a failed start must not crash the host.
    this.ready.catch(() => undefined);
  }

  /** Valid once the launch picked it (a few ms after launch; always by `ready`). */
  get port(): number {
    return this.assignedPort;
  }

  /** A prewarmed runtime that listens already: its port takes connections before it is ready. */
  get acceptsBeforeReady(): boolean {
    return this.plan.adopt?.port !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get pod(): { ip: string; containerPort: number } | undefined {
    return this.network?.pod;
  }

  private async start(launchAt: number): Promise<ColdStartPhases> {
    const { plan } = this;
    // A prewarmed runtime already runs on the host network: it cannot move into a pod.
    const network = await (plan.adopt ? hostNetwork(plan.adopt.port) : (plan.network ?? hostNetwork)());
    this.network = network;
    this.assignedPort = network.hostPort;
    const memoryLimitBytes = plan.memoryLimitBytes;
    if (memoryLimitBytes !== undefined || plan.cpuLimitMillicores !== undefined) {
      this.cgroup = createInstanceCgroup(plan.isolation, plan.instanceId, {
        ...(memoryLimitBytes === undefined ? {} : { memoryLimitBytes }),
        ...(plan.cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores: plan.cpuLimitMillicores }),
      });
    }
    const env = network.env({ ...plan.env, PORT: String(network.port) });
    let spawnedAt: number;
    let child: ChildProcess;
    if (plan.adopt) {
      child = plan.adopt.child;
      if (this.cgroup && child.pid !== undefined) joinCgroup(this.cgroup, child.pid);
      spawnedAt = launchAt;
    } else if (plan.spawn) {
      // Kubernetes expands $(VAR) in command and args from the container's env (PORT included).
      const command = plan.spawn.command.map((arg) => expandVars(arg, env));
      // A wrapper (nsenter, the cgroup's sh) starts even when the command does not exist.
      if ((network.pod || this.cgroup) && command[0]) assertSpawnable(command[0], env.PATH, plan.spawn.cwd);
      const [file, ...args] = network.command(
        this.cgroup ? cgroupWrappedCommand(this.cgroup, command) : command,
      );
      if (file === undefined) throw new Error('empty command');
      child = spawn(file, args, { cwd: plan.spawn.cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      spawnedAt = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(epochNowMs()));
        child.once('error', reject);
      });
    } else {
      throw new Error('a process launch needs a command or a prewarmed runtime');
    }
    this.child = child;
    const report = this.watch(child);
    if (memoryLimitBytes !== undefined && !this.cgroup) {
      this.watchdog = startRssWatchdog(
        () => this.child?.pid,
        memoryLimitBytes,
        () => {
          this.killedOverMemory = true;
          this.child?.kill('SIGKILL');
        },
      );
    }
    if (plan.adopt) {
      const message: SpecializeMessage = {
        type: 'hivelab-specialize',
        handlerModule: plan.adopt.handlerModule,
        port: this.assignedPort,
        protocol: plan.protocol,
        env,
        cwd: plan.adopt.cwd,
      };
      child.send(message);
    }
    const readyReport = await Promise.race([
      plan.runnerReports
        ? report
        : // The probe gives up only once the process is gone; `exited` then says why.
          this.probe().then(
            () => undefined,
            () => new Promise<never>(() => undefined),
          ),
      this.exited.then((exit) => Promise.reject(new Error(`instance ${plan.instanceId} ${exit.message}`))),
      this.readyDeadline(child),
    ]).finally(() => clearTimeout(this.deadlineTimer));
    const readyAt = epochNowMs();
    this.restoredFromSnapshot = readyReport?.restoredFromSnapshot ?? false;
    return computePhases({
      launchAt,
      spawnedAt,
      readyAt: readyReport ? Math.max(readyAt, readyReport.listeningAt) : readyAt,
      ...(readyReport
        ? {
            runtimeUpAt: readyReport.runtimeUpAt,
            codeLoadedAt: readyReport.codeLoadedAt,
            initDoneAt: readyReport.initDoneAt,
          }
        : {}),
    });
  }

  private deadlineTimer: NodeJS.Timeout | undefined;
  /** What the instance listened on when it missed its readiness deadline. */
  private listeningAtDeadline: string | undefined;

  /** Never resolves; after `readyTimeoutMs` kills the instance, and `exited` says why. */
  private readyDeadline(child: ChildProcess): Promise<never> {
    return new Promise<never>(() => {
      this.deadlineTimer = setTimeout(() => {
        this.notReadyInTime = true;
        if (!this.plan.runnerReports && child.pid !== undefined) {
          // In a pod, /proc/<pid>/net lists the pod's sockets: what it listens on in there.
          this.listeningAtDeadline = describeListening(
            this.network?.port ?? this.assignedPort,
            listeningPorts(processTree(child.pid)),
          );
        }
        child.kill('SIGKILL');
      }, this.plan.readyTimeoutMs);
      this.deadlineTimer.unref();
    });
  }

  private probe(): Promise<void> {
    return probeUntilReady(this.assignedPort, this.plan.protocol, () => this.gone);
  }

  /** Wires output, IPC and exit; resolves with the runner's ready report. */
  private watch(child: ChildProcess): Promise<RunnerReadyReport> {
    return watchChild(child, {
      containerName: this.plan.containerName,
      onOutput: this.plan.onOutput,
      stderr: this.stderr,
      onFirstInvocation: this.plan.onFirstInvocation,
      onGone: () => {
        this.gone = true;
        if (this.watchdog) clearInterval(this.watchdog);
      },
      onFinished: (code, signal) => this.finish(code, signal),
    });
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    const killedOverMemory = this.killedOverMemory || (this.cgroup?.oomKilled() ?? false);
    const exit = classifyExit({
      code,
      signal,
      stopping: this.stopping,
      killedOverMemory,
      memoryLimitBytes: this.plan.memoryLimitBytes,
      enforcedBy: this.cgroup ? `cgroup ${this.plan.isolation.cgroup} OOM killer` : 'RSS watchdog',
      stderrLines: this.stderr.all(),
    });
    if (this.notReadyInTime) {
      const listening = this.listeningAtDeadline ? `: ${this.listeningAtDeadline}` : '';
      exit.message = `did not get ready within ${this.plan.readyTimeoutMs} ms and was killed${listening} (${exit.message})`;
    }
    this.cgroup?.remove();
    void this.network?.release().finally(() => this.resolveExit(exit));
  }

  usage(): ResourceUsage {
    const pid = this.child?.pid;
    if (pid === undefined || this.gone) return { cpuUs: 0, rssBytes: 0, peakRssBytes: 0 };
    return { cpuUs: processCpuUs(pid), ...processMemory(pid) };
  }

  resetPeak(): void {
    const pid = this.child?.pid;
    if (pid !== undefined && !this.gone) resetPeakRss(pid);
  }

  async stop(graceMs: number): Promise<void> {
    if (this.gone || !this.child) {
      this.stopping = true;
      if (!this.child) {
        // Still starting: wait for the child so it is not left behind.
        await this.ready.catch(() => undefined);
        if (this.child && !this.gone) return this.stop(graceMs);
      }
      return;
    }
    this.stopping = true;
    const child = this.child;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
