/**
 * The gateway's request handler, in steps: route (admin API or a function) → admit (a slot
 * from the activator, with the function's timeout and the client going away watched) →
 * forward (HTTP/1.1 or h2c to the instance) → account (slot back, CPU and memory of the
 * instance) → report (spans with the gateway's stage breakdown).
 */
import { HttpError, errorMessage } from '../../errors.js';
import { sendText } from '../../http/index.js';
import type { Span } from '../../spans/index.js';
import type { DeployedFunction } from '../deployed-function.js';
import { FAULT_HEADER, NO_FAULT } from '../faults/index.js';
import { encodeGrpcMessage, grpcStatusForHttp, isGrpc, requestAuthority } from './headers.js';
import { DeadlineTimer } from './deadline-timer.js';
import { stageAnnotations } from './gateway-stages.js';
import { buildInvocationSpans } from './invocation-spans.js';
import { Invocation } from './invocation.js';
import { forwardH2 } from './proxy-h2.js';
import type { H2SessionPool } from './proxy-h2.js';
import { forwardHttp1 } from './proxy-http1.js';
import type { ForwardTarget } from './proxy-http1.js';
import type { UpstreamPool } from './upstream-pool.js';
import { RESPONSE_HEADERS } from './response-headers.js';
import { ADMIN_PREFIX, resolveRoute } from './route.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';
import { incomingTrace, newSpanId, propagationHeaders } from './trace-propagation.js';

/** Anything that takes finished spans (a Zipkin reporter); must never throw. */
export interface SpanSink {
  report(span: Span): void;
}

export interface GatewayOptions {
  lookup(namespace: string, name: string): DeployedFunction | undefined;
  /** The 404 text for a request that matches no function. */
  notFound(authority: string | undefined, path: string): string;
  admin(req: GatewayRequest, res: GatewayResponse): Promise<void>;
  /** Keep-alive HTTP/1.1 connections to the instances (`createUpstreamPool()`). */
  agent: UpstreamPool;
  h2: H2SessionPool;
  /** Where spans go; none when tracing is off. */
  reporter: SpanSink | undefined;
  /**
   * The fault order for one invocation, as `x-hivelab-fault` header text (`delay=50ms`),
   * asked per invocation; `NO_FAULT` tells an instance that carries its own `HIVELAB_FAULT`
   * that the platform decided for it. None: no header is sent.
   */
  faultFor?: (fn: DeployedFunction, traceId: string) => string | undefined;
}

export function createGatewayHandler(
  options: GatewayOptions,
): (req: GatewayRequest, res: GatewayResponse) => void {
  // One coarse timer for every request's timeoutMs, not a setTimeout per request.
  const deadlines = new DeadlineTimer();
  return (req, res) => {
    handle(options, deadlines, req, res).catch((error: unknown) =>
      sendError(req, res, toHttpError(error), {}),
    );
  };
}

async function handle(
  options: GatewayOptions,
  deadlines: DeadlineTimer,
  req: GatewayRequest,
  res: GatewayResponse,
): Promise<void> {
  const headParsedAt = performance.now();
  const url = req.url ?? '/';
  if (url.startsWith(ADMIN_PREFIX)) return options.admin(req, res);
  const inv = route(options, req, res, url, headParsedAt);
  if (!inv) return;
  inv.fn.countRequest();
  const deadline = deadlines.add(inv.fn.spec.timeoutMs, () =>
    inv.fail(
      new HttpError(
        504,
        `function ${inv.route.namespace}/${inv.route.name} timed out after ${inv.fn.spec.timeoutMs} ms`,
      ),
    ),
  );
  const onClose = (): void => {
    if (!res.writableFinished) inv.fail(new Error('the client went away'));
  };
  res.on('close', onClose);
  try {
    await admit(inv);
    await forward(options, inv);
  } catch (error) {
    await answerFailure(inv, error);
  } finally {
    deadline.cancel();
    res.off('close', onClose);
    account(inv);
  }
  report(options, inv);
}

/** Step 1: the function the request is for, or a 404 answered here (then `undefined`). */
function route(
  options: GatewayOptions,
  req: GatewayRequest,
  res: GatewayResponse,
  url: string,
  headParsedAt: number,
): Invocation | undefined {
  const authority = requestAuthority(req.headers);
  // The lookup that said yes is the function routed to: keep it rather than look it up again.
  let fn: DeployedFunction | undefined;
  const found = resolveRoute(authority, url, (ns, name) => (fn = options.lookup(ns, name)) !== undefined);
  if (!found || !fn) {
    req.resume();
    sendError(req, res, new HttpError(404, options.notFound(authority, url)), {});
    return undefined;
  }
  const grpc = isGrpc(req.headers);
  if (fn.spec.protocol === 'http1' && grpc) {
    // Forwarded, the HTTP/1.1 answer would reach the gRPC client as garbage frames.
    req.resume();
    const reason =
      `function ${found.namespace}/${found.name} serves HTTP/1.1, not gRPC: call it over HTTP, ` +
      `or name its container port h2c if it serves gRPC`;
    sendError(req, res, new HttpError(404, reason), {});
    return undefined;
  }
  const startUs = Math.round((performance.timeOrigin + headParsedAt) * 1000);
  const trace = incomingTrace(req.headers);
  return new Invocation(
    req,
    res,
    fn,
    found,
    authority,
    grpc,
    trace,
    startUs,
    headParsedAt,
    RESPONSE_HEADERS.traceId,
  );
}

/** Step 2: a slot on an instance, at once (warm) or after waiting in the activator's buffer. */
async function admit(inv: Invocation): Promise<void> {
  let lease = inv.fn.tryAcquire();
  if (!lease) {
    inv.abort = new AbortController();
    lease = await inv.fn.acquire(inv.abort.signal);
    inv.lease = lease;
    if (inv.failed) throw inv.failed;
  }
  inv.lease = lease;
  inv.stages.admittedAt = performance.now();
  inv.acquiredUs = Math.round((performance.timeOrigin + inv.stages.admittedAt) * 1000);
  inv.responseHeaders[RESPONSE_HEADERS.cold] = lease.cold ? '1' : '0';
  inv.responseHeaders[RESPONSE_HEADERS.instanceId] = lease.instance.id;
}

/** Step 3: the request to the instance and its answer back to the client. */
async function forward(options: GatewayOptions, inv: Invocation): Promise<void> {
  const lease = inv.lease!;
  if (options.reporter) inv.before = inv.fn.usage(lease, true);
  // The instance's own spans are children of the function's SERVER span.
  const requestHeaders = propagationHeaders(inv.trace, inv.serverSpanId, inv.clientSpanId);
  const fault = options.faultFor?.(inv.fn, inv.trace.traceId);
  if (fault !== undefined) {
    // Ours replaces any the caller sent: the platform's table decides.
    requestHeaders[FAULT_HEADER] = fault;
    if (fault !== NO_FAULT) inv.fault = fault;
  }
  const target: ForwardTarget = {
    port: lease.instance.port,
    path: inv.route.path,
    authority: inv.authority ?? `${inv.route.name}.${inv.route.namespace}`,
    requestHeaders,
    responseHeaders: inv.responseHeaders,
    record: inv.record,
    onCancel: (cancel) => {
      inv.cancelUpstream = cancel;
    },
  };
  inv.status =
    inv.fn.spec.protocol === 'h2c'
      ? await forwardH2(options.h2, inv.req, inv.res, target)
      : await forwardHttp1(options.agent, inv.req, inv.res, target);
}

/** A failure in admit or forward: the reason, answered to the client if nothing was sent yet. */
async function answerFailure(inv: Invocation, error: unknown): Promise<void> {
  const failure = inv.failed ? toHttpError(inv.failed) : await inv.fn.explainFailure(error, inv.lease);
  inv.failure = failure;
  inv.status = failure.status;
  if (inv.res.headersSent) {
    inv.res.destroy();
    return;
  }
  if (inv.grpc) {
    inv.record.grpcStatus = grpcStatusForHttp(failure.status);
    inv.record.grpcMessage = undefined;
  }
  sendError(inv.req, inv.res, failure, inv.responseHeaders);
  inv.stages.answeredAt = performance.now();
}

/** Step 4: the slot back, and the instance's CPU time and peak memory during the call. */
function account(inv: Invocation): void {
  const lease = inv.lease;
  if (!lease) return;
  if (inv.before && !inv.failure) inv.after = inv.fn.usage(lease, false);
  inv.fn.release(lease);
}

/** Step 5: the spans of the invocation, when tracing is on and the caller samples. */
function report(options: GatewayOptions, inv: Invocation): void {
  const reporter = options.reporter;
  if (!reporter || !inv.trace.sampled) return;
  const { lease, record, before, after } = inv;
  const endUs = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const spans = buildInvocationSpans({
    traceId: inv.trace.traceId,
    parentId: inv.trace.parentId,
    gatewaySpanId: inv.gatewaySpanId,
    // Only ever reported, never propagated: made only for sampled, reported requests.
    queueSpanId: newSpanId(),
    activatorSpanId: newSpanId(),
    clientSpanId: inv.clientSpanId,
    serverSpanId: inv.serverSpanId,
    method: inv.req.method ?? 'GET',
    path: inv.route.path.split('?')[0] ?? '/',
    grpc: inv.grpc,
    status: inv.status,
    grpcStatus: record.grpcStatus,
    grpcMessage: record.grpcMessage,
    functionName: inv.route.name,
    namespace: inv.route.namespace,
    startUs: inv.startUs,
    acquiredUs: inv.acquiredUs,
    endUs,
    instanceId: lease?.instance.id,
    instancePort: lease?.instance.port,
    cold: lease?.cold ?? false,
    buffered: lease?.buffered ?? false,
    queueWaitUs: lease?.queueWaitUs ?? endUs - inv.startUs,
    phases: lease?.instance.phases,
    cpuUs: before && after ? Math.max(0, after.cpuUs - before.cpuUs) : undefined,
    peakRssBytes: after?.peakRssBytes,
    error: inv.failure?.message,
    fault: inv.fault,
    annotations: stageAnnotations(inv.stages, record, performance.timeOrigin),
  });
  for (const span of spans) reporter.report(span);
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return new HttpError(502, errorMessage(error));
}

/** An error answer: a gRPC status for gRPC callers, else the HTTP status with a plain reason. */
export function sendError(
  req: GatewayRequest,
  res: GatewayResponse,
  error: HttpError,
  extraHeaders: Record<string, string>,
): void {
  if (res.headersSent || res.destroyed) return;
  if (isGrpc(req.headers)) {
    res.writeHead(200, {
      'content-type': 'application/grpc',
      'x-hivelab-http-status': String(error.status),
      ...extraHeaders,
    });
    res.addTrailers({
      'grpc-status': String(grpcStatusForHttp(error.status)),
      'grpc-message': encodeGrpcMessage(error.message),
    });
    res.end();
    return;
  }
  sendText(res, error.status, error.message, { ...error.headers, ...extraHeaders });
}
