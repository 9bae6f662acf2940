/**
 * One deployed function: its instance manager, its activator, and the autoscaler loop that
 * samples concurrency every second and asks the scaling policy for a count every tick.
 */
import { HttpError, errorMessage } from '../errors.js';
import { Activator } from './activator/activator.js';
import { InstanceManager } from './instances/instance-manager.js';
import type { FunctionStatus } from './admin-api.js';
import { ConcurrencySampler, MetricWindow } from './autoscaler/index.js';
import type { ScalingPolicy } from './autoscaler/index.js';
import type { SandboxDriver } from './sandbox/sandbox.js';
import type { FunctionSpec } from './spec/function-spec.js';

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
}

/** How often concurrency is sampled (Knative's autoscaler scrapes every second). */
const SAMPLE_INTERVAL_MS = 1000;

export class DeployedFunction {
  readonly spec: FunctionSpec;
  readonly manager: InstanceManager;
  readonly activator: Activator;
  /** Requests routed to the function since deployment. */
  requests = 0;
  /** True while the policy is in panic mode. */
  panic = false;
  private readonly options: DeployedFunctionOptions;
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
      onLaunchFailure: (message) =>
        this.activator.failPending(new HttpError(502, `instance failed to start: ${message}`), true),
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
