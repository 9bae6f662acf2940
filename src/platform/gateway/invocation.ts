/**
 * One request through the gateway while it is handled: what was routed to, the trace ids,
 * the lease, what the proxy saw, and the first failure (timeout, client gone) with the means
 * to stop whatever is under way when it happens.
 */
import type { HttpError } from '../../errors.js';
import type { Lease } from '../activator/activator.js';
import type { DeployedFunction } from '../deployed-function.js';
import type { ResourceUsage } from '../sandbox/sandbox.js';
import { newExchangeRecord, type ExchangeRecord } from './exchange-record.js';
import type { GatewayStageTimes } from './gateway-stages.js';
import type { Route } from './route.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';
import { newSpanId, type IncomingTrace } from './trace-propagation.js';

export class Invocation {
  readonly gatewaySpanId = newSpanId();
  readonly clientSpanId = newSpanId();
  /** The function's SERVER span: what the instance is told its parent is. */
  readonly serverSpanId = newSpanId();
  readonly record: ExchangeRecord = newExchangeRecord();
  readonly stages: GatewayStageTimes;
  /** `RESPONSE_HEADERS` of the answer, filled in as they become known. */
  readonly responseHeaders: Record<string, string>;
  lease: Lease | undefined;
  /** Epoch µs when the slot was leased (forwarding starts). */
  acquiredUs: number;
  status = 0;
  failure: HttpError | undefined;
  before: ResourceUsage | undefined;
  after: ResourceUsage | undefined;
  /** The fault order sent to the instance (`delay=50ms`), when one was injected. */
  fault: string | undefined;
  /** The first failure; later ones are ignored. */
  failed: Error | undefined;
  /** Made only when the request must wait in the activator's buffer: stops the wait. */
  abort: AbortController | undefined;
  /** Set by the proxy: stops a request already sent to the instance. */
  cancelUpstream: ((error: Error) => void) | undefined;

  constructor(
    readonly req: GatewayRequest,
    readonly res: GatewayResponse,
    readonly fn: DeployedFunction,
    readonly route: Route,
    readonly authority: string | undefined,
    readonly grpc: boolean,
    readonly trace: IncomingTrace,
    readonly startUs: number,
    headParsedAt: number,
    traceIdHeader: string,
  ) {
    this.acquiredUs = startUs;
    this.stages = { headParsedAt, routedAt: performance.now(), admittedAt: 0, answeredAt: 0 };
    this.responseHeaders = { [traceIdHeader]: trace.traceId };
  }

  /** Records the first failure and stops what is under way (the buffered wait or the upstream call). */
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    this.abort?.abort(error);
    this.cancelUpstream?.(error);
  }
}
