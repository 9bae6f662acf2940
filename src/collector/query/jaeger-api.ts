/**
 * The Jaeger query API (as the Jaeger UI and seed scripts use it) under `/api/`: every
 * answer in Jaeger's envelope `{data, total, limit: 0, offset: 0, errors: null}`, errors as
 * `{data: null, errors: [{code, msg}]}` with the same status.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from '../../errors.js';
import { toJaegerTrace } from '../../spans/index.js';
import type { TraceStore } from '../../store/index.js';
import { sendError, sendJson } from '../../http/index.js';
import type { Route, RouteHandler } from '../http/router.js';
import { findJaegerTraces, parseJaegerPaging } from './jaeger-search.js';
import { parseDependencyWindow, parseJaegerTraceQuery, requiredString } from './params.js';
import { parseTraceId } from './trace-id.js';

/** Jaeger's span kinds, lower case as its API spells them, with the store's name. */
const SPAN_KINDS = {
  server: 'SERVER',
  client: 'CLIENT',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
  internal: 'INTERNAL',
} as const;
type JaegerSpanKind = keyof typeof SPAN_KINDS;

function envelope(response: ServerResponse, data: unknown, total: number): void {
  sendJson(response, 200, { data, total, limit: 0, offset: 0, errors: null });
}

/** Wraps a handler so its HTTP errors come back in Jaeger's error envelope. */
function jaeger(handler: RouteHandler, log: (line: string) => void): RouteHandler {
  return async (request, response, context) => {
    try {
      await handler(request, response, context);
    } catch (error) {
      if (!(error instanceof HttpError)) {
        sendError(response, error, log);
        return;
      }
      sendJson(
        response,
        error.status,
        { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: error.status, msg: error.message }] },
        error.headers,
      );
    }
  };
}

function parseSpanKind(raw: string | null): JaegerSpanKind | undefined {
  if (raw === null || raw === '') return undefined;
  const kind = raw.toLowerCase();
  if (!(kind in SPAN_KINDS)) {
    throw new HttpError(
      400,
      `invalid spanKind "${raw}": expected one of ${Object.keys(SPAN_KINDS).join(', ')}`,
    );
  }
  return kind as JaegerSpanKind;
}

async function operations(
  store: TraceStore,
  service: string,
  kind: JaegerSpanKind | undefined,
): Promise<{ name: string; spanKind: string }[]> {
  const kinds = kind ? [kind] : (Object.keys(SPAN_KINDS) as JaegerSpanKind[]);
  const lists = await Promise.all(kinds.map((k) => store.spanNames(service, SPAN_KINDS[k])));
  return kinds
    .flatMap((k, i) => lists[i]!.map((name) => ({ name, spanKind: k })))
    .sort((a, b) => a.name.localeCompare(b.name) || a.spanKind.localeCompare(b.spanKind));
}

/** The Jaeger query routes over `store`; `now` gives epoch milliseconds. */
export function jaegerRoutes(store: TraceStore, now: () => number, log: (line: string) => void): Route[] {
  const get = (pattern: string, handler: RouteHandler): Route => ({
    method: 'GET',
    pattern: `/api${pattern}`,
    handler: jaeger(handler, log),
  });
  return [
    get('/services', async (_req, res) => {
      const names = await store.serviceNames();
      envelope(res, names, names.length);
    }),
    get('/services/{service}/operations', async (_req, res, { params }) => {
      const names = await store.spanNames(params.service!);
      envelope(res, names, names.length);
    }),
    get('/operations', async (_req, res, { query }) => {
      const ops = await operations(
        store,
        requiredString(query, 'service'),
        parseSpanKind(query.get('spanKind')),
      );
      envelope(res, ops, ops.length);
    }),
    get('/traces', async (_req, res, { query }) => {
      const ids = query.getAll('traceID').filter((s) => s.trim() !== '');
      const traces =
        ids.length > 0
          ? await store.getTraces(ids.map(parseTraceId))
          : await findJaegerTraces(store, parseJaegerTraceQuery(query, now()), parseJaegerPaging(query));
      envelope(
        res,
        traces.map((t) => toJaegerTrace(t)),
        traces.length,
      );
    }),
    get('/traces/{traceId}', async (_req, res, { params }) => {
      const spans = await store.getTrace(parseTraceId(params.traceId!));
      if (spans.length === 0) throw new HttpError(404, 'trace not found');
      envelope(res, [toJaegerTrace(spans)], 1);
    }),
    get('/dependencies', async (_req, res, { query }) => {
      const { endTsMs, lookbackMs } = parseDependencyWindow(query, now());
      const links = await store.dependencies(endTsMs, lookbackMs);
      envelope(res, links, links.length);
    }),
  ];
}
