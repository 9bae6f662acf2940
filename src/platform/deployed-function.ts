/**
 * One deployed function: its instance manager, its activator, and the autoscaler loop that
 * samples concurrency every second and asks the scaling policy for a count every tick.
 */
import { HttpError, errorMessage } from '../errors.js';
import { Activator } from './activator/activator.js';
import type { Lease } from './activator/activator.js';
import { InstanceManager } from './instances/instance-manager.js';
import type { FunctionStatus } from './admin-api.js';
import { FunctionHistoryLog, type FunctionHistory } from './function-history.js';
import { ConcurrencySampler, MetricWindow } from './autoscaler/index.js';
import type { ScalingPolicy } from './autoscaler/index.js';
import type { ResourceUsage, SandboxDriver } from './sandbox/sandbox.js';
import type { FunctionSpec } from './function-spec/function-spec.js';

export interface DeployedFunctionOptions {
  spec: FunctionSpec;
  driver: SandboxDriver;
  policy: ScalingPolicy;
  /** Requests buffered per function at most. */
  maxBuffered: number;
  /** Instances to start at deploy (the policy's initial scale, within min/max). */
  initialScale: number;
  /** Where operator-facing problems go (a scaling policy that throws). */
  log: (line: string) => void;
  /** Opens the gateway's connection to an instance that listens before it is ready. */
  preconnect?: (port: number, protocol: FunctionSpec['protocol']) => void;
}

/** How often concurrency is sampled (Knative's autoscaler scrapes every second). */
const SAMPLE_INTERVAL_MS = 1000;

/** How long to wait for an instance's exit reason after its connection broke. */
const EXIT_WAIT_MS = 1000;

export class DeployedFunction {
  readonly spec: FunctionSpec;
  readonly manager: InstanceManager;
  readonly activator: Activator;
  /** Requests routed to the function since deployment (`countRequest`). */
  requests = 0;
  /** Requests that waited for an instance start (the invoker's "cold" requests). */
  coldRequests = 0;
  /** True while the policy is in panic mode. */
  panic = false;
  private readonly options: DeployedFunctionOptions;
  private readonly history = new FunctionHistoryLog();
  private readonly sampler = new ConcurrencySampler(Date.now());
  private readonly window: MetricWindow;
  private policyState: unknown;
  /** Policy error messages already logged: a policy that throws every tick logs once per message. */
  private readonly loggedPolicyErrors = new Set<string>();
  private sampleTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;

  constructor(options: DeployedFunctionOptions) {
    this.options = options;
    this.spec = options.spec;
    this.manager = new InstanceManager({
      spec: options.spec,
      driver: options.driver,
      onCapacity: () => this.activator.dispatch(),
      ...(options.preconnect ? { preconnect: options.preconnect } : {}),
      onLivenessFailure: (instanceId, message) =>
        options.log(`instance ${instanceId} of ${options.spec.namespace}/${options.spec.name} ${message}`),
      onLaunchFailure: (message) =>
        this.activator.failPending(new HttpError(502, `instance failed to start: ${message}`), true),
      onReady: (instance) => {
        if (instance.phases)
          this.history.recordColdStart({
            readyAtMs: Date.now(),
            instanceId: instance.id,
            phases: instance.phases,
          });
        this.recordScale();
      },
    });
    this.activator = new Activator({
      manager: this.manager,
      maxBuffered: options.maxBuffered,
      maxScale: options.spec.autoscaling.maxScale,
      onRequestStarted: () => this.sampler.requestStarted(Date.now()),
      onRequestFinished: () => this.sampler.requestFinished(Date.now()),
    });
    // The stable window plus a tick of slack: KPA never looks further back.
    this.window = new MetricWindow(
      options.spec.autoscaling.stableWindowMs + options.spec.autoscaling.tickIntervalMs,
    );
    this.policyState = options.policy.initialState(options.spec.autoscaling, Date.now());
  }

  /** Starts the initial instances and the autoscaler loop; rejects with the sandbox's reason. */
  async start(): Promise<void> {
    const { initialScale } = this.options;
    this.manager.scaleTo(initialScale);
    try {
      await this.manager.waitReady(initialScale);
    } catch (error) {
      await this.close();
      throw new HttpError(
        422,
        `function ${this.spec.namespace}/${this.spec.name} did not become ready: ${errorMessage(error)}`,
      );
    }
    this.sampleTimer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.tickTimer = setInterval(() => this.tick(), this.spec.autoscaling.tickIntervalMs);
    this.sampleTimer.unref();
    this.tickTimer.unref();
  }

  /** Counts one request routed to the function. */
  countRequest(): void {
    this.requests++;
  }

  /**
   * A slot at once on a ready instance with room, else `undefined` (then `acquire`): the
   * warm path, with no promise and no abort signal.
   */
  tryAcquire(): Lease | undefined {
    return this.activator.tryAcquire();
  }

  /** A slot for one request, waiting in the activator's buffer; rejects with 503 or `signal`'s reason. */
  async acquire(signal: AbortSignal): Promise<Lease> {
    const lease = await this.activator.acquire(signal);
    if (lease.cold) this.coldRequests++;
    return lease;
  }

  /** Gives the slot back. */
  release(lease: Lease): void {
    this.activator.release(lease);
  }

  /**
   * The instance's usage at the start (`starting`) or end of an invocation. At the start of
   * one that has the instance to itself the peak is reset, so `peak_mem.kb` is this
   * invocation's; with concurrent requests the figures cover everything the instance did.
   */
  usage(lease: Lease, starting: boolean): ResourceUsage | undefined {
    const { instance } = lease;
    try {
      if (starting && instance.inFlight === 1) instance.sandbox.resetPeak();
      return instance.sandbox.usage();
    } catch {
      return undefined; // accounting must never fail a request
    }
  }

  /** Why forwarding on `lease` failed: the instance's exit reason when it died, else `error`. */
  async explainFailure(error: unknown, lease: Lease | undefined): Promise<HttpError> {
    if (error instanceof HttpError) return error;
    const instance = lease?.instance;
    if (!instance) return new HttpError(502, errorMessage(error));
    const exit =
      instance.exit ??
      (await Promise.race([
        instance.sandbox.exited,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXIT_WAIT_MS).unref()),
      ]));
    if (exit?.reason === 'oom') {
      const limit = this.spec.memoryLimitBytes;
      const mib = limit ? ` of ${Math.round(limit / 1048576)} MiB` : '';
      return new HttpError(502, `instance ${instance.id} killed: over the memory limit${mib}`);
    }
    if (exit) return new HttpError(502, `instance ${instance.id} crashed: ${exit.message}`);
    return new HttpError(502, `error while proxying to instance ${instance.id}: ${errorMessage(error)}`);
  }

  /** Ready/desired instances over time and the last cold starts (admin API `…/history`). */
  historySnapshot(): FunctionHistory {
    return this.history.snapshot(this.spec.namespace, this.spec.name);
  }

  private recordScale(): void {
    this.history.recordScale({
      atMs: Date.now(),
      readyInstances: this.manager.readyCount,
      desiredInstances: this.manager.desired,
      concurrency: this.activator.concurrency,
      panic: this.panic,
    });
  }

  /** The status row of `admin-api.ts`. */
  status(url: string): FunctionStatus {
    return {
      name: this.spec.name,
      namespace: this.spec.namespace,
      url,
      image: this.spec.image,
      sandbox: this.spec.sandbox,
      coldStart: this.spec.coldStart,
      protocol: this.spec.protocol,
      readyInstances: this.manager.readyCount,
      desiredInstances: this.manager.desired,
      coldStarts: this.manager.coldStarts,
      coldRequests: this.coldRequests,
      requests: this.requests,
    };
  }

  /** Stops the loop, fails buffered requests, drains and stops every instance. */
  async close(): Promise<void> {
    clearInterval(this.sampleTimer);
    clearInterval(this.tickTimer);
    this.activator.failPending(
      new HttpError(503, `function ${this.spec.namespace}/${this.spec.name} was removed`),
    );
    await this.manager.close();
  }

  private sample(): void {
    this.window.record(this.sampler.sample(Date.now()));
  }

  private tick(): void {
    let decision;
    const nowMs = Date.now();
    try {
      decision = this.options.policy.decide(
        {
          nowMs,
          settings: this.spec.autoscaling,
          readyInstances: this.manager.readyCount,
          currentDesired: this.manager.desired,
          samples: this.window.samples(nowMs),
        },
        this.policyState,
      );
    } catch (error) {
      // A researcher's policy that throws keeps the current count; say so once per message.
      this.reportPolicyError(errorMessage(error));
      return;
    }
    this.policyState = decision.state;
    this.panic = decision.panic;
    let desired = decision.desired;
    // Never scale to zero under a request that is buffered or running: it would never finish.
    if (desired === 0 && this.activator.concurrency > 0) desired = 1;
    this.manager.scaleTo(desired);
    this.recordScale();
  }

  private reportPolicyError(message: string): void {
    if (this.loggedPolicyErrors.has(message)) return;
    this.loggedPolicyErrors.add(message);
    this.options.log(
      `error while asking the scaling policy of ${this.spec.namespace}/${this.spec.name} ` +
        `(${this.spec.autoscaling.policy}) for a count: ${message}; keeping ${this.manager.desired} instances`,
    );
  }
}
