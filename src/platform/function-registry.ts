/**
 * The deployed functions of one platform by namespace and name, and the sandbox drivers
 * they run on: deploy (a new revision replaces the old one once ready, so no request is
 * dropped), remove, list, look up for routing.
 */
import type { FunctionStatus } from './admin-api.js';
import { initialDesired, loadScalingPolicy } from './autoscaler/index.js';
import { DeployedFunction } from './deployed-function.js';
import type { FunctionHistory } from './function-history.js';
import type { SandboxDriver } from './sandbox/sandbox.js';
import type { FunctionSpec, SandboxKind } from './function-spec/function-spec.js';

export interface FunctionRegistryOptions {
  /** Makes the driver of a sandbox kind, once, on first use. */
  createDriver: (kind: SandboxKind) => SandboxDriver;
  /** Env every instance gets (the spec's own env wins): where the gateway and collector are. */
  platformEnv: () => Record<string, string>;
  /** Requests buffered per function at most. */
  maxBuffered: number;
  /** `http://<name>.<namespace>.<domain>:<port>` of a function. */
  functionUrl: (spec: { name: string; namespace: string }) => string;
  /** Operator-facing problems (a scaling policy that throws). */
  log: (line: string) => void;
  /** The gateway's connection to an instance that listens before it is ready, opened at its launch. */
  preconnect?: (port: number, protocol: FunctionSpec['protocol']) => void;
}

export class FunctionRegistry {
  private readonly functions = new Map<string, DeployedFunction>();
  private readonly drivers = new Map<SandboxKind, SandboxDriver>();

  constructor(private readonly options: FunctionRegistryOptions) {}

  /** The function routed to, if deployed. */
  lookup(namespace: string, name: string): DeployedFunction | undefined {
    return this.functions.get(`${namespace}/${name}`);
  }

  /** One function's status, if deployed. */
  get(namespace: string, name: string): FunctionStatus | undefined {
    const fn = this.lookup(namespace, name);
    return fn?.status(this.options.functionUrl(fn.spec));
  }

  /** One function's history (scale over time, cold starts), if deployed. */
  history(namespace: string, name: string): FunctionHistory | undefined {
    return this.lookup(namespace, name)?.historySnapshot();
  }

  /** Every function's status, sorted by namespace, then name. */
  list(): FunctionStatus[] {
    return [...this.functions.values()]
      .map((fn) => fn.status(this.options.functionUrl(fn.spec)))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /** Deploys or replaces a function; resolves once its initial instances are ready. */
  async deploy(requested: FunctionSpec): Promise<FunctionStatus> {
    const spec = { ...requested, env: { ...this.options.platformEnv(), ...requested.env } };
    const policy = await loadScalingPolicy(spec.autoscaling.policy);
    const driver = this.driverFor(spec.sandbox);
    // Shared start-up work (prewarm pool, images, pod networks) is ready before the function counts as deployed.
    await driver.prepare(spec);
    const fn = new DeployedFunction({
      spec,
      driver,
      policy,
      maxBuffered: this.options.maxBuffered,
      initialScale: initialDesired(spec.autoscaling),
      log: this.options.log,
      ...(this.options.preconnect ? { preconnect: this.options.preconnect } : {}),
    });
    await fn.start();
    // The new revision is ready: route to it, then drain the old one.
    const key = `${spec.namespace}/${spec.name}`;
    const previous = this.functions.get(key);
    this.functions.set(key, fn);
    if (previous) await previous.close();
    return fn.status(this.options.functionUrl(spec));
  }

  /** Resolves to false when the function was not deployed. */
  async remove(namespace: string, name: string): Promise<boolean> {
    const key = `${namespace}/${name}`;
    const fn = this.functions.get(key);
    if (!fn) return false;
    this.functions.delete(key);
    await fn.close();
    return true;
  }

  async removeAll(): Promise<void> {
    const all = [...this.functions.values()];
    this.functions.clear();
    await Promise.all(all.map((fn) => fn.close()));
  }

  /** Removes every function, then frees the drivers. */
  async close(): Promise<void> {
    await this.removeAll();
    await Promise.all([...this.drivers.values()].map((driver) => driver.close()));
  }

  private driverFor(kind: SandboxKind): SandboxDriver {
    let driver = this.drivers.get(kind);
    if (!driver) {
      driver = this.options.createDriver(kind);
      this.drivers.set(kind, driver);
    }
    return driver;
  }
}
