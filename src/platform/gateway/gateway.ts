/**
 * The gateway's request handler: admin API, routing, activator lease, proxying to the
 * instance (HTTP/1.1 or h2c), timeouts, fault answers, response headers and spans.
 */
import { HttpError, errorMessage } from '../../errors.js';
import type { Span } from '../../spans/span.js';
import { RESPONSE_HEADERS } from '../admin-api.js';
import type { Lease } from '../activator/activator.js';
import type { DeployedFunction } from '../deployed-function.js';
import type { Instance } from '../instances/instance.js';
import type { ResourceUsage } from '../sandbox/sandbox.js';
import { encodeGrpcMessage, grpcStatusForHttp, isGrpc, requestAuthority } from './headers.js';
import { DeadlineTimer } from './deadline-timer.js';
import { newExchangeRecord } from './exchange-record.js';
import { buildInvocationSpans } from './invocation-spans.js';
import { forwardH2 } from './proxy-h2.js';
import type { H2SessionPool } from './proxy-h2.js';
import { forwardHttp1 } from './proxy-http1.js';
import type { UpstreamPool } from './upstream-pool.js';
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
  /** Keep-alive HTTP/1.1 connections to the instances (`createUpstreamAgent()`). */
  agent: UpstreamPool;
  h2: H2SessionPool;
  /** Where spans go; none when tracing is off. */
  reporter: SpanSink | undefined;
}

/** How long to wait for an instance's exit reason after its connection broke. */
const EXIT_WAIT_MS = 1000;

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
  const url = req.url ?? '/';
  if (url.startsWith(ADMIN_PREFIX)) return options.admin(req, res);
  const authority = requestAuthority(req.headers);
  // The lookup that said yes is the function routed to: keep it rather than look it up again.
  let fn: DeployedFunction | undefined;
  const route = resolveRoute(authority, url, (ns, name) => (fn = options.lookup(ns, name)) !== undefined);
  if (!route || !fn) {
    req.resume();
    return sendError(req, res, new HttpError(404, options.notFound(authority, url)), {});
  }
  if (fn.spec.protocol === 'http1' && isGrpc(req.headers)) {
    // Forwarded, the HTTP/1.1 answer would reach the gRPC client as garbage frames.
    req.resume();
    const reason =
      `function ${route.namespace}/${route.name} serves HTTP/1.1, not gRPC: call it over HTTP, ` +
      `or name its container port h2c if it serves gRPC`;
    return sendError(req, res, new HttpError(404, reason), {});
  }
  fn.requests++;
  const startUs = nowUs();
  const trace = incomingTrace(req.headers);
  const gatewaySpanId = newSpanId();
  const clientSpanId = newSpanId();
  const serverSpanId = newSpanId();
  const grpc = isGrpc(req.headers);
  const record = newExchangeRecord();
  const responseHeaders: Record<string, string> = { [RESPONSE_HEADERS.traceId]: trace.traceId };

  // The first failure wins. `abort` (made only when the request must wait in the activator's
  // buffer) stops a buffered request; `cancelUpstream` one already sent to the instance.
  let failed: Error | undefined;
  let abort: AbortController | undefined;
  let cancelUpstream: ((error: Error) => void) | undefined;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = error;
    abort?.abort(error);
    cancelUpstream?.(error);
  };
  const timeoutMs = fn.spec.timeoutMs;
  const deadline = deadlines.add(timeoutMs, () =>
    fail(new HttpError(504, `function ${route.namespace}/${route.name} timed out after ${timeoutMs} ms`)),
  );
  const onClose = (): void => {
    if (!res.writableFinished) fail(new Error('the client went away'));
  };
  res.on('close', onClose);

  let lease: Lease | undefined;
  let acquiredUs = startUs;
  let status: number;
  let failure: HttpError | undefined;
  let before: ResourceUsage | undefined;
  let after: ResourceUsage | undefined;
  try {
    lease = fn.activator.tryAcquire();
    if (!lease) {
      abort = new AbortController();
      lease = await fn.activator.acquire(abort.signal);
      if (failed) throw failed;
    }
    acquiredUs = nowUs();
    const { instance } = lease;
    responseHeaders[RESPONSE_HEADERS.cold] = lease.cold ? '1' : '0';
    responseHeaders[RESPONSE_HEADERS.instanceId] = instance.id;
    if (options.reporter) before = sampleUsage(instance, true);
    const target = {
      port: instance.port,
      path: route.path,
      authority: authority ?? `${route.name}.${route.namespace}`,
      // The instance's own spans are children of the function's SERVER span.
      requestHeaders: propagationHeaders(trace, serverSpanId, clientSpanId),
      responseHeaders,
      record,
      onCancel: (cancel: (error: Error) => void) => {
        cancelUpstream = cancel;
      },
    };
    status =
      fn.spec.protocol === 'h2c'
        ? await forwardH2(options.h2, req, res, target)
        : await forwardHttp1(options.agent, req, res, target);
    if (before) after = sampleUsage(instance, false);
  } catch (error) {
    failure = failed ? toHttpError(failed) : await diagnose(error, lease?.instance, fn);
    status = failure.status;
    if (grpc && !res.headersSent) {
      record.grpcStatus = grpcStatusForHttp(failure.status);
      record.grpcMessage = undefined;
    }
    if (res.headersSent) res.destroy();
    else sendError(req, res, failure, responseHeaders);
  } finally {
    deadline.cancel();
    res.off('close', onClose);
    if (lease) fn.activator.release(lease);
  }
  if (options.reporter && trace.sampled) {
    const spans = buildInvocationSpans({
      traceId: trace.traceId,
      parentId: trace.parentId,
      gatewaySpanId,
      // Only ever reported, never propagated: made only for sampled, reported requests.
      queueSpanId: newSpanId(),
      activatorSpanId: newSpanId(),
      clientSpanId,
      serverSpanId,
      method: req.method ?? 'GET',
      path: route.path.split('?')[0] ?? '/',
      grpc,
      status,
      grpcStatus: record.grpcStatus,
      grpcMessage: record.grpcMessage,
      functionName: route.name,
      namespace: route.namespace,
      startUs,
      acquiredUs,
      endUs: nowUs(),
      instanceId: lease?.instance.id,
      instancePort: lease?.instance.port,
      cold: lease?.cold ?? false,
      buffered: lease?.buffered ?? false,
      queueWaitUs: lease?.queueWaitUs ?? nowUs() - startUs,
      phases: lease?.instance.phases,
      cpuUs: before && after ? Math.max(0, after.cpuUs - before.cpuUs) : undefined,
      peakRssBytes: after?.peakRssBytes,
      error: failure?.message,
    });
    for (const span of spans) options.reporter.report(span);
  }
}

/**
 * Usage of the instance. Before an invocation that has the instance to itself (nothing else
 * in flight), the peak is reset so `peak_mem.kb` is this invocation's; with concurrent
 * requests CPU time and peak RSS cover everything the instance did meanwhile.
 */
function sampleUsage(instance: Instance, starting: boolean): ResourceUsage | undefined {
  try {
    if (starting && instance.inFlight === 1) instance.sandbox.resetPeak();
    return instance.sandbox.usage();
  } catch {
    return undefined; // accounting must never fail a request
  }
}

/** Why forwarding failed: the instance's exit reason when it died, else the socket error. */
async function diagnose(
  error: unknown,
  instance: Instance | undefined,
  fn: DeployedFunction,
): Promise<HttpError> {
  if (error instanceof HttpError) return error;
  if (!instance) return toHttpError(error);
  const exit =
    instance.exit ??
    (await Promise.race([
      instance.sandbox.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXIT_WAIT_MS).unref()),
    ]));
  if (exit?.reason === 'oom') {
    const limit = fn.spec.memoryLimitBytes;
    const mib = limit ? ` of ${Math.round(limit / 1048576)} MiB` : '';
    return new HttpError(502, `instance ${instance.id} killed: over the memory limit${mib}`);
  }
  if (exit) return new HttpError(502, `instance ${instance.id} crashed: ${exit.message}`);
  return new HttpError(502, `error while proxying to instance ${instance.id}: ${errorMessage(error)}`);
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
  const body = `${error.message}\n`;
  res.writeHead(error.status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...error.headers,
    ...extraHeaders,
  });
  res.end(body);
}

function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
