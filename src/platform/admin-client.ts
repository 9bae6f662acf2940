/**
 * `PlatformClient`: the admin API of `admin-api.ts` over HTTP, for the deployer, the CLI and
 * scripts. Every failure becomes a `UserError` carrying the server's reason.
 */
import { UserError, errorMessage } from '../errors.js';
import type { FaultsStatus, FunctionStatus } from './admin-api.js';
import type { ActiveFault } from './faults/index.js';
import type { FunctionHistory } from './function-history.js';
import type { FunctionSpec } from './function-spec/function-spec.js';

/** What `PlatformClient.logs` asks for (see platform/logs/log-query.ts). */
export interface LogsRequest {
  instance?: string;
  container?: string;
  /** A Go duration, e.g. `10m`. */
  since?: string;
  tail?: number;
  follow?: boolean;
  timestamps?: boolean;
}

export class PlatformClient {
  readonly gatewayUrl: string;

  /** @param gatewayUrl e.g. `http://127.0.0.1:8080` */
  constructor(gatewayUrl: string) {
    this.gatewayUrl = gatewayUrl.replace(/\/+$/, '');
  }

  /** Deploys (or replaces) a function; resolves once its initial instances are ready. */
  async deploy(spec: FunctionSpec): Promise<FunctionStatus> {
    const path = `/_hivelab/functions/${encodeURIComponent(spec.namespace)}/${encodeURIComponent(spec.name)}`;
    const response = await this.request(
      'PUT',
      path,
      `deploying ${spec.namespace}/${spec.name}`,
      JSON.stringify(spec),
    );
    return (await response.json()) as FunctionStatus;
  }

  async list(): Promise<FunctionStatus[]> {
    const response = await this.request('GET', '/_hivelab/functions', 'listing functions');
    return (await response.json()) as FunctionStatus[];
  }

  /** One function's status. @throws UserError when the function does not exist */
  async get(namespace: string, name: string): Promise<FunctionStatus> {
    const path = `/_hivelab/functions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
    const response = await this.request('GET', path, `reading ${namespace}/${name}`);
    return (await response.json()) as FunctionStatus;
  }

  /** Ready/desired instances over time and the last cold starts. @throws UserError when unknown */
  async history(namespace: string, name: string): Promise<FunctionHistory> {
    const path = `/_hivelab/functions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/history`;
    const response = await this.request('GET', path, `reading the history of ${namespace}/${name}`);
    return (await response.json()) as FunctionHistory;
  }

  /**
   * An instance's output (all instances' when `instance` is not given), as `hivelab logs`
   * prints it; `onText` gets it as it arrives. With `follow` it resolves when the server
   * ends the stream (the one instance ended) or `signal` aborts.
   * @throws UserError naming the reason (unknown function or instance, bad parameter)
   */
  async logs(
    namespace: string,
    name: string,
    query: LogsRequest,
    onText: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const params = new URLSearchParams();
    if (query.instance !== undefined) params.set('instance', query.instance);
    if (query.container !== undefined) params.set('container', query.container);
    if (query.since !== undefined) params.set('since', query.since);
    if (query.tail !== undefined) params.set('tail', String(query.tail));
    if (query.follow) params.set('follow', '1');
    if (query.timestamps) params.set('timestamps', '1');
    const search = params.size > 0 ? `?${params.toString()}` : '';
    const path = `/_hivelab/functions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/logs${search}`;
    const response = await this.request(
      'GET',
      path,
      `reading the logs of ${namespace}/${name}`,
      undefined,
      undefined,
      signal,
    );
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        onText(decoder.decode(chunk, { stream: true }));
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
    const rest = decoder.decode();
    if (rest) onText(rest);
  }

  /** @throws UserError when the function does not exist */
  async remove(namespace: string, name: string): Promise<void> {
    const path = `/_hivelab/functions/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
    await this.request('DELETE', path, `deleting ${namespace}/${name}`);
  }

  async removeAll(): Promise<void> {
    await this.request('DELETE', '/_hivelab/functions', 'deleting every function');
  }

  /** Injects `spec` (`delay=50ms,share=0.1`) into a share of a function's invocations from now on. */
  async setFault(namespace: string, name: string, spec: string): Promise<ActiveFault> {
    const response = await this.request(
      'PUT',
      faultPath(namespace, name),
      `setting a fault on ${namespace}/${name}`,
      spec,
      'text/plain; charset=utf-8',
    );
    return (await response.json()) as ActiveFault;
  }

  /** Resolves to false when the function had no fault set. */
  async clearFault(namespace: string, name: string): Promise<boolean> {
    const path = faultPath(namespace, name);
    const response = await this.request('DELETE', path, `clearing the fault on ${namespace}/${name}`);
    return ((await response.json()) as { cleared: boolean }).cleared;
  }

  /** Clears every fault; the functions that had one (`ns/name`). */
  async clearAllFaults(): Promise<string[]> {
    const response = await this.request('DELETE', '/_hivelab/faults', 'clearing every fault');
    return ((await response.json()) as { cleared: string[] }).cleared;
  }

  /** Faults in force, their changes and the injections (newest `limit`, oldest first). */
  async faults(query: { function?: string; sinceMs?: number; limit?: number } = {}): Promise<FaultsStatus> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.size > 0 ? `?${params.toString()}` : '';
    const response = await this.request('GET', `/_hivelab/faults${search}`, 'listing faults');
    return (await response.json()) as FaultsStatus;
  }

  private async request(
    method: string,
    path: string,
    doing: string,
    body?: string,
    contentType = 'application/json',
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.gatewayUrl}${path}`, {
        method,
        ...(signal ? { signal } : {}),
        ...(body !== undefined ? { body, headers: { 'content-type': contentType } } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      throw new UserError(
        `error while ${doing}: cannot reach the hivelab gateway at ${this.gatewayUrl} (${errorMessage(cause ?? error)})`,
        'start the platform with `hivelab up`, or pass the gateway URL it printed',
      );
    }
    if (!response.ok) {
      const reason = (await response.text()).trim() || response.statusText;
      throw new UserError(`error while ${doing}: ${reason} (HTTP ${response.status})`);
    }
    return response;
  }
}

function faultPath(namespace: string, name: string): string {
  return `/_hivelab/faults/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
