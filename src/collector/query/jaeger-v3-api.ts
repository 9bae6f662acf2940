/**
 * Jaeger's query API v3 under `/api/v3/` (the Jaeger UI loads services and operations from
 * it since 2.15 and searches through `trace-summaries` since 2.19): OTLP JSON traces in
 * grpc-gateway's `{result: …}` envelope, errors as `{error: {httpCode, message}}`.
 */
import { HttpError } from '../../errors.js';
import type { TraceStore } from '../../store/index.js';
import { sendError, sendJson } from '../../http/index.js';
import type { Route, RouteHandler } from '../http/router.js';
import { findJaegerTraces } from './jaeger-search.js';
import { summarizeJaegerTrace } from './jaeger-trace-summary.js';
import { parseV3TraceQuery } from './jaeger-v3-params.js';
import { toOtlpTracesData } from './otlp-json-answer.js';
import { requiredString } from './params.js';
import { parseTraceId } from './trace-id.js';

const SPAN_KINDS = ['server', 'client', 'producer', 'consumer', 'internal'] as const;
const STORE_KIND = {
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: 'INTERNAL',
} as const;

function v3(handler: RouteHandler, log: (line: string) => void): RouteHandler {
  return async (request, response, context) => {
    try {
      await handler(request, response, context);
    } catch (error) {
      if (!(error instanceof HttpError)) {
        sendError(response, error, log);
        return;
      }
      sendJson(response, error.status, { error: { httpCode: error.status, message: error.message } });
    }
  };
}

/** The v3 routes over `store`; `now` gives epoch milliseconds. */
export function jaegerV3Routes(store: TraceStore, now: () => number, log: (line: string) => void): Route[] {
  const get = (pattern: string, handler: RouteHandler): Route => ({
    method: 'GET',
    pattern: `/api/v3${pattern}`,
    handler: v3(handler, log),
  });
  return [
    get('/services', async (_req, res) => sendJson(res, 200, { services: await store.serviceNames() })),
    get('/operations', async (_req, res, { query }) => {
      const service = requiredString(query, 'service');
      const raw = query.get('spanKind') ?? query.get('span_kind') ?? '';
      const wanted = raw === '' ? SPAN_KINDS : SPAN_KINDS.filter((k) => k === raw.toLowerCase());
      if (wanted.length === 0) {
        throw new HttpError(400, `invalid spanKind "${raw}": expected one of ${SPAN_KINDS.join(', ')}`);
      }
      const lists = await Promise.all(wanted.map((k) => store.spanNames(service, STORE_KIND[k])));
      const operations = wanted
        .flatMap((k, i) => lists[i]!.map((name) => ({ name, spanKind: k })))
        .sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind));
      sendJson(res, 200, { operations });
    }),
    get('/traces/{traceId}', async (_req, res, { params }) => {
      const spans = await store.getTrace(parseTraceId(params.traceId!));
      if (spans.length === 0) throw new HttpError(404, 'trace not found');
      sendJson(res, 200, { result: toOtlpTracesData([spans]) });
    }),
    get('/traces', async (_req, res, { query }) => {
      const traces = await findJaegerTraces(store, parseV3TraceQuery(query, now()));
      if (traces.length === 0) throw new HttpError(404, 'trace not found');
      sendJson(res, 200, { result: toOtlpTracesData(traces) });
    }),
    get('/trace-summaries', async (_req, res, { query }) => {
      const traces = await findJaegerTraces(store, parseV3TraceQuery(query, now()));
      sendJson(res, 200, { summaries: traces.map(summarizeJaegerTrace) });
    }),
  ];
}
