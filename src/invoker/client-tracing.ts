/**
 * `-trace`: every request starts a trace. The invoker makes a CLIENT span per request,
 * propagates it in both B3 (multi-header) and W3C `traceparent` form, tags it with the
 * run id (`hivelab.run_id`) so a run's traces can be found, and posts the spans to a
 * Zipkin v2 endpoint in batches. Telemetry never fails the run: send errors are counted.
 */
import { randomBytes } from 'node:crypto';
import type { Span } from '../spans/span.js';
import type { RequestRecord } from './request-record.js';

export interface ClientTracerOptions {
  /** Zipkin v2 spans URL, e.g. `http://localhost:9411/api/v2/spans`. */
  zipkinUrl: string;
  runId: string;
  /** @default 'invoker' */
  serviceName?: string;
  /** Spans per POST. @default 500 */
  batchSize?: number;
}

export interface RequestTrace {
  traceId: string;
  spanId: string;
  /** Headers / metadata that carry the context to the callee. */
  headers: Record<string, string>;
}

export interface ClientTracer {
  start(): RequestTrace;
  /** Records the span of a completed request (`startEpochMs` is the run's offset 0). */
  finish(trace: RequestTrace, record: RequestRecord, startEpochMs: number, spanName: string): void;
  /** Sends what is buffered and waits for every POST; resolves to the counts. */
  flush(): Promise<{ sent: number; failed: number; lastError?: string }>;
}

/** 16 lower-case hex characters. */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/** 32 lower-case hex characters. */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** B3 multi-header and W3C traceparent for a sampled root span. */
export function propagationHeaders(traceId: string, spanId: string): Record<string, string> {
  return {
    'x-b3-traceid': traceId,
    'x-b3-spanid': spanId,
    'x-b3-sampled': '1',
    traceparent: `00-${traceId}-${spanId}-01`,
  };
}

export function createClientTracer(options: ClientTracerOptions): ClientTracer {
  const batchSize = options.batchSize ?? 500;
  let buffer: Span[] = [];
  const pending = new Set<Promise<void>>();
  let sent = 0;
  let failed = 0;
  let lastError: string | undefined;

  const post = (spans: Span[]): void => {
    const promise = fetch(options.zipkinUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spans),
    })
      .then(async (response) => {
        if (response.ok) sent += spans.length;
        else {
          failed += spans.length;
          lastError = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
        }
      })
      .catch((error: unknown) => {
        failed += spans.length;
        lastError = error instanceof Error ? error.message : String(error);
      })
      .finally(() => pending.delete(promise));
    pending.add(promise);
  };

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
      buffer.push({
        traceId: trace.traceId,
        id: trace.spanId,
        name: spanName,
        kind: 'CLIENT',
        timestamp: Math.round((startEpochMs + record.sentMs) * 1000),
        duration: Math.max(1, Math.round((record.completedMs - record.sentMs) * 1000)),
        localEndpoint: { serviceName: options.serviceName ?? 'invoker' },
        remoteEndpoint: { serviceName: record.endpoint.split('.')[0] ?? record.endpoint },
        tags,
      });
      if (buffer.length >= batchSize) {
        post(buffer);
        buffer = [];
      }
    },
    async flush() {
      if (buffer.length > 0) {
        post(buffer);
        buffer = [];
      }
      while (pending.size > 0) await Promise.all([...pending]);
      return lastError === undefined ? { sent, failed } : { sent, failed, lastError };
    },
  };
}
