/**
 * The port every invoker client implements: send one request to one endpoint and say what
 * happened, never throwing (a failed request is an outcome, not an exception).
 */

import { RESPONSE_HEADERS } from '../../platform/index.js';

/** Why a request failed. `status`: the server answered with a non-OK status. */
export type ErrorKind = 'timeout' | 'refused' | 'status' | 'other';

export interface SendRequest {
  /** The endpoint's hostname, sent as `:authority` / `Host`. */
  hostname: string;
  /** Extra headers (HTTP) or metadata (gRPC), e.g. trace propagation. */
  headers: Readonly<Record<string, string>>;
  /** HTTP body, or the gRPC `vHiveMetadata` bytes. */
  body?: string;
  /** HTTP: this request's method, instead of the client's (workload runs). */
  method?: string;
  /** HTTP: this request's path and query, instead of the client's. */
  path?: string;
}

export interface SendOutcome {
  ok: boolean;
  /** HTTP status code, or the gRPC status code name (`OK`, `UNAVAILABLE`, …); `''` when none. */
  status: string;
  errorKind?: ErrorKind;
  errorMessage?: string;
  /** From the gateway's `x-hivelab-cold` header / initial metadata; undefined when absent. */
  cold?: boolean;
  instanceId?: string;
  traceId?: string;
  /** The response body (HTTP) or reply message (gRPC). */
  body?: string;
}

export interface TargetClient {
  send(request: SendRequest): Promise<SendOutcome>;
  /**
   * Optional warm-up before the clock starts (load codecs, open channels), so the first
   * requests do not pay one-off setup costs that are not the target's. Never rejects.
   */
  prepare?(hostnames: readonly string[]): Promise<void>;
  /** Closes pooled connections; in-flight requests are not awaited. */
  close(): void;
}

/** Reads the gateway's response headers into an outcome (header names lower-case). */
export function gatewayFields(
  get: (name: string) => string | undefined,
): Pick<SendOutcome, 'cold' | 'instanceId' | 'traceId'> {
  const cold = get(RESPONSE_HEADERS.cold);
  const fields: Pick<SendOutcome, 'cold' | 'instanceId' | 'traceId'> = {};
  if (cold !== undefined) fields.cold = cold === '1' || cold === 'true';
  const instanceId = get(RESPONSE_HEADERS.instanceId);
  if (instanceId !== undefined) fields.instanceId = instanceId;
  const traceId = get(RESPONSE_HEADERS.traceId);
  if (traceId !== undefined) fields.traceId = traceId;
  return fields;
}
