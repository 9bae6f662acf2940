/**
 * I/O shell over the Kubernetes API (`@kubernetes/client-node`): create-or-replace, get,
 * watch until Ready, list and delete `serving.knative.dev/v1` Services. Errors become
 * UserErrors that say which call failed against which server, with the API's own reason.
 */
import { ApiException, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { UserError, errorMessage } from '../../errors.js';
import type { KnativeService } from './knative-manifest.js';
import { serviceReadiness, type KnativeServiceObject } from './knative-status.js';

const GROUP = 'serving.knative.dev';
const VERSION = 'v1';
const PLURAL = 'services';

/** Options of {@link KnativeClient}. */
export interface KnativeClientOptions {
  /** A kubeconfig file; default: `$KUBECONFIG`, else `~/.kube/config`, else in-cluster. */
  kubeconfig?: string;
  /** A context of the kubeconfig; default: its current context. */
  context?: string;
}

/** Options of {@link KnativeClient.waitReady}. */
export interface WaitReadyOptions {
  /** @default 300000 (5 min, as `kn service create --wait-timeout 300`) */
  timeoutMs?: number;
  /** Called when the reason it is not Ready yet changes. */
  onProgress?: (reason: string) => void;
}

function apiReason(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    let message: string | undefined;
    if (typeof body === 'string') {
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {
        message = body;
      }
    } else if (body !== null && typeof body === 'object') message = (body as { message?: string }).message;
    return `${error.code}${message ? ` ${message}` : ''}`;
  }
  return errorMessage(error);
}

function statusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** A client of one cluster's Knative Services. */
export class KnativeClient {
  readonly server: string;
  readonly contextName: string;
  private readonly config: KubeConfig;
  private readonly api: CustomObjectsApi;

  /** @throws UserError when the kubeconfig cannot be read or names no such context. */
  constructor(options: KnativeClientOptions = {}) {
    const config = new KubeConfig();
    try {
      if (options.kubeconfig !== undefined) config.loadFromFile(options.kubeconfig);
      else config.loadFromDefault();
    } catch (error) {
      throw new UserError(
        `error while reading the kubeconfig ${options.kubeconfig ?? '(default)'}: ${errorMessage(error)}`,
        'pass --kubeconfig <file> (e.g. ~/.kube/config)',
      );
    }
    if (options.context !== undefined) {
      const names = config.getContexts().map((context) => context.name);
      if (!names.includes(options.context)) {
        throw new UserError(
          `the kubeconfig has no context ${JSON.stringify(options.context)}`,
          `its contexts: ${names.join(', ') || '(none)'}`,
        );
      }
      config.setCurrentContext(options.context);
    }
    const cluster = config.getCurrentCluster();
    if (cluster === null) {
      throw new UserError(
        'the kubeconfig names no cluster for its current context',
        'pass --context <name> or --kubeconfig <file>',
      );
    }
    this.server = cluster.server;
    this.contextName = config.getCurrentContext();
    this.config = config;
    this.api = config.makeApiClient(CustomObjectsApi);
  }

  private fail(doing: string, error: unknown): never {
    throw new UserError(
      `error while ${doing} on ${this.server}: ${apiReason(error)}`,
      statusCode(error) === undefined
        ? 'is the cluster reachable? check --kubeconfig / --context (kubectl cluster-info)'
        : undefined,
    );
  }

  /** The Service, or `undefined` when there is none. */
  async get(namespace: string, name: string): Promise<KnativeServiceObject | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name,
      })) as KnativeServiceObject;
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      this.fail(`getting service ${namespace}/${name}`, error);
    }
  }

  /** Creates the Service, or replaces the one of that name (as `kn service apply`). */
  async apply(manifest: KnativeService): Promise<KnativeServiceObject> {
    const { namespace, name } = manifest.metadata;
    const where = { group: GROUP, version: VERSION, namespace, plural: PLURAL };
    try {
      return (await this.api.createNamespacedCustomObject({
        ...where,
        body: manifest,
      })) as KnativeServiceObject;
    } catch (error) {
      if (statusCode(error) !== 409) this.fail(`creating service ${namespace}/${name}`, error);
    }
    const current = await this.get(namespace, name);
    const body = {
      ...manifest,
      metadata: { ...manifest.metadata, resourceVersion: current?.metadata.resourceVersion },
    };
    try {
      return (await this.api.replaceNamespacedCustomObject({ ...where, name, body })) as KnativeServiceObject;
    } catch (error) {
      this.fail(`replacing service ${namespace}/${name}`, error);
    }
  }

  /** Deletes the Service; `false` when there was none. */
  async delete(namespace: string, name: string): Promise<boolean> {
    try {
      await this.api.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name,
      });
      return true;
    } catch (error) {
      if (statusCode(error) === 404) return false;
      this.fail(`deleting service ${namespace}/${name}`, error);
    }
  }

  /** The Services of `namespace`, optionally those matching a label selector. */
  async list(namespace: string, labelSelector?: string): Promise<KnativeServiceObject[]> {
    try {
      const list = (await this.api.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        ...(labelSelector !== undefined ? { labelSelector } : {}),
      })) as { items?: KnativeServiceObject[] };
      return list.items ?? [];
    } catch (error) {
      this.fail(`listing services in ${namespace}`, error);
    }
  }

  /**
   * Watches the Service until its Ready condition is True (resolves to its URL) or False
   * (rejects with Knative's reason), or the timeout passes (rejects with the last reason).
   * A watch the server ends is started again from the latest state.
   */
  waitReady(namespace: string, name: string, options: WaitReadyOptions = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const watch = new Watch(this.config);
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      let lastReason = 'no status yet';
      const finish = (error: Error | undefined, url?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        controller?.abort();
        if (error) reject(error);
        else resolve(url ?? '');
      };
      const timer = setTimeout(
        () =>
          finish(
            new UserError(`${name} is not Ready after ${Math.round(timeoutMs / 1000)} s: ${lastReason}`),
          ),
        timeoutMs,
      );
      const check = (service: KnativeServiceObject): void => {
        const readiness = serviceReadiness(service);
        if (readiness.state === 'ready') finish(undefined, readiness.url);
        else if (readiness.state === 'failed')
          finish(new UserError(`${name} is not Ready: ${readiness.reason}`));
        else if (readiness.reason !== lastReason) {
          lastReason = readiness.reason;
          options.onProgress?.(readiness.reason);
        }
      };
      const start = async (): Promise<void> => {
        const current = await this.get(namespace, name);
        if (settled) return;
        if (current === undefined)
          return finish(new UserError(`${name} was deleted while waiting for it to be Ready`));
        check(current);
        if (settled) return;
        controller = await watch.watch(
          path,
          { fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata.resourceVersion },
          (phase: string, object: unknown) => {
            if (phase === 'DELETED')
              finish(new UserError(`${name} was deleted while waiting for it to be Ready`));
            else if (phase === 'ADDED' || phase === 'MODIFIED') check(object as KnativeServiceObject);
          },
          (error: unknown) => {
            if (settled) return;
            // The server ends watches now and then (or the connection drops): look again.
            const again = () =>
              void start().catch((cause: unknown) =>
                finish(cause instanceof Error ? cause : new Error(String(cause))),
              );
            if (error) setTimeout(again, 500).unref();
            else again();
          },
        );
        if (settled) controller.abort();
      };
      start().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    });
  }
}
