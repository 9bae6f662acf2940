/**
 * `-trace`: every request starts a trace. The invoker makes a CLIENT span per request,
 * propagates it in both B3 (multi-header) and W3C `traceparent` form, tags it with the
 * run id (`hivelab.run_id`) so a run's traces can be found, and posts the spans to a
 * Zipkin v2 endpoint in batches. Telemetry never fails the run: send errors are counted.
 */
import { injectTraceContext, newSpanId, newTraceId, ZipkinReporter, type Span } from '../spans/index.js';
import type { RequestRecord } from './request-record.js';

export interface ClientTracerOptions {
  /** Zipkin v2 spans URL, e.g. `http://localhost:9411/api/v2/spans`. */
  zipkinUrl: string;
  runId: string;
  /** @default 'invoker' */
  serviceName?: string;
  /** Spans per POST. @default 500 */
  batchSize?: number;
  /** Spans held while the collector is slow; more are dropped and counted. @default 200000 */
  maxQueueSpans?: number;
}

export interface RequestTrace {
  traceId: string;
  spanId: string;
  /** Headers / metadata that carry the context to the callee. */
  headers: Record<string, string>;
}

/** Counters of the client spans: sent + failed + dropped = requests traced. */
export interface TracingStats {
  sent: number;
  failed: number;
  dropped: number;
}

export interface ClientTracer {
  start(): RequestTrace;
  /** Records the span of a completed request (`startEpochMs` is the run's offset 0). */
  finish(trace: RequestTrace, record: RequestRecord, startEpochMs: number, spanName: string): void;
  /** Sends what is queued, stops the reporter and resolves to the counts. */
  close(): Promise<TracingStats>;
}

/** B3 multi-header and W3C traceparent for a sampled root span (spans/ does the encoding). */
export function propagationHeaders(traceId: string, spanId: string): Record<string, string> {
  const headers: Record<string, string> = {};
  injectTraceContext({ traceId, spanId, sampled: true }, headers);
  return headers;
}

/** @throws UserError when the Zipkin URL is not http(s). */
export function createClientTracer(options: ClientTracerOptions): ClientTracer {
  const reporter = new ZipkinReporter({
    url: options.zipkinUrl,
    batchSize: options.batchSize ?? 500,
    maxQueueSpans: options.maxQueueSpans ?? 200_000,
  });
  return {
    start() {
      const traceId = newTraceId();
      const spanId = newSpanId();
      return { traceId, spanId, headers: propagationHeaders(traceId, spanId) };
    },
    finish(trace, record, startEpochMs, spanName) {
      const tags: Record<string, string> = {
        'hivelab.run_id': options.runId,
        'hivelab.endpoint': record.endpoint,
        'hivelab.lateness_us': String(Math.round(Math.max(0, record.sentMs - record.scheduledMs) * 1000)),
        status: record.outcome.status,
      };
      if (!record.outcome.ok) tags.error = record.outcome.errorMessage ?? record.outcome.errorKind ?? 'error';
      if (record.outcome.cold !== undefined) tags['hivelab.cold'] = String(record.outcome.cold);
      const span: Span = {
        traceId: trace.traceId,
        id: trace.spanId,
        name: spanName,
        kind: 'CLIENT',
        timestamp: Math.round((startEpochMs + record.sentMs) * 1000),
        duration: Math.max(1, Math.round((record.completedMs - record.sentMs) * 1000)),
        localEndpoint: { serviceName: options.serviceName ?? 'invoker' },
        remoteEndpoint: { serviceName: record.endpoint.split('.')[0] ?? record.endpoint },
        tags,
      };
      reporter.report(span);
    },
    async close() {
      await reporter.close();
      const { sent, failed, dropped } = reporter.stats;
      return { sent, failed, dropped };
    },
  };
}
