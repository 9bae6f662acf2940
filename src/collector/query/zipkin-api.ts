/**
 * The Zipkin v2 query API under `/api/v2/`: JSON answers shaped as Zipkin's, plain-text
 * 400s with Zipkin's reasons.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from '../../errors.js';
import { encodeZipkinJson } from '../../spans/index.js';
import type { Span } from '../../spans/index.js';
import type { TraceStore } from '../../store/index.js';
import { send, sendJson } from '../../http/index.js';
import type { Route } from '../http/router.js';
import { parseDependencyWindow, parseTraceIdList, parseZipkinTraceQuery, requiredString } from './params.js';
import { parseTraceId } from './trace-id.js';

function sendTraces(response: ServerResponse, traces: readonly Span[][]): void {
  send(response, 200, `[${traces.map((t) => encodeZipkinJson(t)).join(',')}]`, 'application/json');
}

/** The Zipkin v2 query routes over `store`; `now` gives epoch milliseconds. */
export function zipkinRoutes(store: TraceStore, now: () => number): Route[] {
  const get = (pattern: string, handler: Route['handler']): Route => ({
    method: 'GET',
    pattern: `/api/v2${pattern}`,
    handler,
  });
  return [
    get('/services', async (_req, res) => sendJson(res, 200, await store.serviceNames())),
    get('/spans', async (_req, res, { query }) =>
      sendJson(res, 200, await store.spanNames(requiredString(query, 'serviceName'))),
    ),
    get('/remoteServices', async (_req, res, { query }) =>
      sendJson(res, 200, await store.remoteServiceNames(requiredString(query, 'serviceName'))),
    ),
    get('/traces', async (_req, res, { query }) =>
      sendTraces(res, await store.findTraces(parseZipkinTraceQuery(query, now()))),
    ),
    get('/trace/{traceId}', async (_req, res, { params }) => {
      const traceId = parseTraceId(params.traceId!);
      const spans = await store.getTrace(traceId);
      if (spans.length === 0) throw new HttpError(404, `trace ${traceId} not found`);
      send(res, 200, encodeZipkinJson(spans), 'application/json');
    }),
    get('/traceMany', async (_req, res, { query }) => {
      const ids = parseTraceIdList(query.get('traceIds')).map(parseTraceId);
      sendTraces(res, await store.getTraces(ids));
    }),
    get('/dependencies', async (_req, res, { query }) => {
      const { endTsMs, lookbackMs } = parseDependencyWindow(query);
      sendJson(res, 200, await store.dependencies(endTsMs, lookbackMs));
    }),
    get('/autocompleteKeys', async (_req, res) => sendJson(res, 200, await store.autocompleteKeys())),
    get('/autocompleteValues', async (_req, res, { query }) =>
      sendJson(res, 200, await store.autocompleteValues(requiredString(query, 'key'))),
    ),
  ];
}
