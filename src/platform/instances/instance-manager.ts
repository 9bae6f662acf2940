/**
 * Keeps the instances of one function at the desired count: launches sandboxes, drains and
 * stops them on scale-down (stop routing, wait for in-flight requests, then stop), replaces
 * crashed ones, and counts cold starts. It never decides the count: the autoscaler loop and
 * the activator do, through `scaleTo`.
 */
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../errors.js';
import type { SandboxDriver, SandboxExit } from '../sandbox/sandbox.js';
import type { FunctionSpec } from '../function-spec/function-spec.js';
import { probeTarget, runProbeOnce, withReadinessProbe } from '../sandbox/index.js';
import type { ColdStartPhases } from '../sandbox/sandbox.js';
import type { ProbeSpec } from '../function-spec/index.js';
import { Instance, pickVictims } from './instance.js';
import { ProbeLoop, ProbeVerdicts, aggressivePoll, readinessTiming } from './instance-probes.js';

export interface InstanceManagerOptions {
  spec: FunctionSpec;
  driver: SandboxDriver;
  /** Called when routable capacity may have changed (an instance got ready or freed a slot). */
  onCapacity: () => void;
  /** Called when an instance failed to get ready, with the sandbox's reason. */
  onLaunchFailure: (message: string) => void;
  /** Called when an instance got ready (a cold start), after it is counted. */
  onReady?: (instance: Instance) => void;
  /**
   * Called at the launch of an instance whose port takes connections before it is ready
   * (`Sandbox.acceptsBeforeReady`): the gateway opens its connection then, in parallel
   * with the start, instead of after ready.
   */
  preconnect?: (port: number, protocol: FunctionSpec['protocol']) => void;
  /** SIGTERM → SIGKILL grace when stopping an instance. @default 2000 */
  stopGraceMs?: number;
  /** An instance failed its liveness probe and is being replaced. */
  onLivenessFailure?: (instanceId: string, message: string) => void;
  /** How long an instance may take to pass the spec's readiness probe once started. @default 120000 */
  readinessGateMs?: number;
}

/** Longest wait before relaunching after consecutive failed launches (crash-loop back-off). */
const MAX_BACKOFF_MS = 5000;

export class InstanceManager {
  readonly spec: FunctionSpec;
  readonly instances: Instance[] = [];
  coldStarts = 0;
  /** The count asked for by the last `scaleTo`. */
  desired = 0;
  /** Why the last launch failed, if it did. */
  lastFailure: string | undefined;
  private readonly options: InstanceManagerOptions;
  private readonly changeListeners = new Set<() => void>();
  private consecutiveFailures = 0;
  private backoffTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: InstanceManagerOptions) {
    this.options = options;
    this.spec = options.spec;
  }

  get readyCount(): number {
    return this.instances.filter((i) => i.state === 'ready').length;
  }

  get aliveCount(): number {
    return this.instances.filter((i) => i.alive).length;
  }

  /** Sets the desired count and reconciles at once. */
  scaleTo(desired: number): void {
    if (this.closed) return;
    this.desired = Math.max(0, Math.floor(desired));
    this.reconcile();
  }

  /** Resolves once `count` instances are ready; rejects with the reason of a failed launch. */
  waitReady(count: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const failuresAtStart = this.consecutiveFailures;
      const check = (): void => {
        if (this.readyCount >= count) {
          this.changeListeners.delete(check);
          resolve();
        } else if (this.consecutiveFailures > failuresAtStart || this.closed) {
          this.changeListeners.delete(check);
          reject(new Error(this.closed ? 'function removed' : (this.lastFailure ?? 'launch failed')));
        }
      };
      this.changeListeners.add(check);
      check();
    });
  }

  /** A request leased to `instance` finished. */
  release(instance: Instance): void {
    instance.inFlight--;
    if (instance.state === 'draining' && instance.inFlight === 0) this.stopInstance(instance);
    else if (instance.state === 'ready') this.options.onCapacity();
  }

  /** Stops every instance, letting in-flight requests finish first. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.backoffTimer);
    for (const instance of this.instances) this.drain(instance);
    await Promise.all(this.instances.map((i) => i.sandbox.exited.catch(() => undefined)));
    this.notify();
  }

  private reconcile(): void {
    if (this.closed) return;
    for (const victim of pickVictims(this.instances, this.desired)) this.drain(victim);
    const missing = this.desired - this.aliveCount;
    if (missing <= 0 || this.backoffTimer) return;
    if (this.consecutiveFailures > 0) {
      const delayMs = Math.min(MAX_BACKOFF_MS, 100 * 2 ** (this.consecutiveFailures - 1));
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        for (let i = this.desired - this.aliveCount; i > 0; i--) this.launch();
      }, delayMs);
      this.backoffTimer.unref();
      return;
    }
    for (let i = 0; i < missing; i++) this.launch();
  }

  private launch(): void {
    if (this.closed) return;
    const instanceId = `${this.spec.name}-${randomBytes(4).toString('hex')}`;
    let instance: Instance;
    try {
      instance = new Instance(this.options.driver.launch(this.spec, instanceId));
    } catch (error) {
      this.launchFailed(errorMessage(error));
      return;
    }
    this.instances.push(instance);
    const { preconnect } = this.options;
    if (preconnect && instance.sandbox.acceptsBeforeReady) {
      // After this turn, in which the sandbox sends the runtime its function: that message
      // goes out first, and the connect's own work overlaps the specialisation.
      setImmediate(() => {
        if (instance.state === 'starting') preconnect(instance.port, this.spec.protocol);
      });
    }
    if (this.spec.livenessProbe) this.startLiveness(instance, this.spec.livenessProbe);
    instance.sandbox.ready.then(
      (phases) => {
        if (instance.state !== 'starting') return;
        if (this.spec.readinessProbe) this.startReadiness(instance, this.spec.readinessProbe, phases);
        else this.markReady(instance, phases);
      },
      (error: unknown) => {
        if (instance.stopRequested) return;
        instance.state = 'gone';
        void instance.sandbox.stop(0).catch(() => undefined);
        this.launchFailed(instance.livenessFailure ?? errorMessage(error));
      },
    );
    void instance.sandbox.exited.then(
      (exit) => this.exited(instance, exit),
      (error: unknown) =>
        this.exited(instance, { reason: 'crashed', code: null, signal: null, message: errorMessage(error) }),
    );
  }

  private markReady(instance: Instance, phases: ColdStartPhases): void {
    instance.state = 'ready';
    instance.phases = phases;
    instance.readyAtMs = performance.now();
    this.coldStarts++;
    this.consecutiveFailures = 0;
    this.options.onReady?.(instance);
    this.notify();
    this.options.onCapacity();
  }

  /** One attempt of `probe` against `instance`, within `timeoutMs`. */
  private probeOnce(instance: Instance, probe: ProbeSpec, timeoutMs: number): Promise<void> {
    const target = probeTarget(probe.handler, instance.port, instance.sandbox.pod?.ip);
    return runProbeOnce(probe.handler, target, timeoutMs);
  }

  /** The spec's readiness probe gates the first traffic, then takes the instance out of (and back into) routing. */
  private startReadiness(instance: Instance, probe: ProbeSpec, phases: ColdStartPhases): void {
    // Called as the sandbox reported ready (its `ready` settled): the probe's wait starts now.
    const sandboxReadyAt = performance.now();
    const loopOptions = (phase: 'starting' | 'ready', onChange: (up: boolean) => void) => {
      const timing = readinessTiming(probe, phase);
      const once = (timeoutMs: number): Promise<void> => this.probeOnce(instance, probe, timeoutMs);
      return {
        check:
          timing.aggressive && phase === 'ready'
            ? () => aggressivePoll(once)
            : () => once(timing.aggressive ? 100 : probe.timeoutSeconds * 1000),
        initialDelayMs: timing.initialDelayMs,
        intervalMs: timing.intervalMs,
        verdicts: new ProbeVerdicts(timing.successThreshold, timing.failureThreshold, phase === 'ready'),
        onChange,
      };
    };
    const gateMs = this.options.readinessGateMs ?? 120_000;
    const gate = setTimeout(() => {
      if (instance.state !== 'starting' || instance.stopRequested) return;
      loop.stop();
      instance.state = 'gone';
      void instance.sandbox.stop(0).catch(() => undefined);
      this.launchFailed(
        `did not pass its readinessProbe within ${gateMs} ms and was killed (last: ${loop.lastFailure ?? 'no answer'})`,
      );
    }, gateMs);
    gate.unref();
    const onReadyChange = (up: boolean): void => {
      if (!up && instance.state === 'ready') instance.state = 'unready';
      else if (up && instance.state === 'unready' && !instance.livenessFailure) instance.state = 'ready';
      else return;
      this.notify();
      if (up) this.options.onCapacity();
    };
    const loop = new ProbeLoop(
      loopOptions('starting', (up) => {
        if (!up || instance.state !== 'starting') return;
        clearTimeout(gate);
        // The probe's wait is the cold start's last phase: traffic was held for it.
        this.markReady(instance, withReadinessProbe(phases, performance.now() - sandboxReadyAt));
        loop.retune(loopOptions('ready', onReadyChange));
      }),
    );
    instance.probes.push(loop, { stop: () => clearTimeout(gate) });
  }

  /** The spec's liveness probe, from the launch on: failing it replaces the instance. */
  private startLiveness(instance: Instance, probe: ProbeSpec): void {
    const loop = new ProbeLoop({
      check: () => this.probeOnce(instance, probe, probe.timeoutSeconds * 1000),
      initialDelayMs: probe.initialDelaySeconds * 1000,
      intervalMs: probe.periodSeconds * 1000,
      verdicts: new ProbeVerdicts(1, probe.failureThreshold, true),
      onChange: (up, reason) => {
        if (up || instance.stopRequested || instance.state === 'gone' || instance.state === 'draining')
          return;
        const message = `failed its livenessProbe ${probe.failureThreshold} times (${reason ?? 'no answer'}) and was replaced`;
        instance.livenessFailure = message;
        for (const p of instance.probes) p.stop();
        // No more traffic; the exit then replaces it (a starting one goes through launchFailed).
        if (instance.state === 'ready') instance.state = 'unready';
        this.notify();
        this.options.onLivenessFailure?.(instance.id, message);
        void instance.sandbox.stop(this.options.stopGraceMs ?? 2000).catch(() => undefined);
      },
    });
    instance.probes.push(loop);
  }

  private launchFailed(message: string): void {
    this.consecutiveFailures++;
    this.lastFailure = message;
    this.options.onLaunchFailure(message);
    this.notify();
    this.reconcile();
  }

  private exited(instance: Instance, exit: SandboxExit): void {
    for (const probe of instance.probes) probe.stop();
    const wasReady =
      instance.state === 'ready' || instance.state === 'unready' || instance.state === 'draining';
    instance.exit = instance.livenessFailure
      ? { ...exit, reason: 'crashed', message: instance.livenessFailure }
      : exit;
    instance.state = 'gone';
    const index = this.instances.indexOf(instance);
    if (index !== -1) this.instances.splice(index, 1);
    this.notify();
    // A crash of a ready instance is replaced at once; one that never got ready went through launchFailed.
    if (!instance.stopRequested && wasReady) this.reconcile();
  }

  private drain(instance: Instance): void {
    if (instance.state === 'gone' || instance.state === 'draining') return;
    const wasStarting = instance.state === 'starting';
    for (const probe of instance.probes) probe.stop();
    instance.state = 'draining';
    if (wasStarting || instance.inFlight === 0) this.stopInstance(instance);
  }

  private stopInstance(instance: Instance): void {
    if (instance.stopRequested) return;
    instance.stopRequested = true;
    void instance.sandbox.stop(this.options.stopGraceMs ?? 2000).catch(() => undefined);
  }

  private notify(): void {
    for (const listener of [...this.changeListeners]) listener();
  }
}
