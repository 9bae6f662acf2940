/**
 * The HTTP listeners: the main port (Zipkin ingest and queries, Jaeger queries, OTLP,
 * health, metrics) and the optional separate OTLP port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import type { TraceStore } from '../store/index.js';
import { sendJson, send } from '../http/index.js';
import { createRouter, type Route } from './http/router.js';
import type { IngestContext } from './ingest/routes.js';
import { ingestRoutes } from './ingest/routes.js';
import type { CollectorMetrics } from './metrics.js';
import { renderPrometheus } from './metrics.js';
import { hivelabRoutes, type PlatformLink } from './hivelab/hivelab-routes.js';
import type { RunRegistry } from './hivelab/run-registry.js';
import { compatRoutes } from './query/compat-routes.js';
import { analysisRoutes } from './query/hivelab-api.js';
import { jaegerRoutes } from './query/jaeger-api.js';
import { zipkinRoutes } from './query/zipkin-api.js';
import { searchSummaryRoutes } from './query/search-summary.js';
import { acceptsHtml, uiRoutes } from './ui/ui-routes.js';

export interface ServerContext {
  store: TraceStore;
  ingest: IngestContext;
  metrics: () => CollectorMetrics;
  /** More Prometheus text appended to `/metrics` (forwarding counters). */
  extraMetrics?: () => string;
  now: () => number;
  log: (line: string) => void;
  /** Invoker runs registered for the web UI. */
  runs: RunRegistry;
  /** Where the platform's admin API is, when `hivelab up` runs one. */
  platform: PlatformLink;
  /** Cache request types between `/api/hivelab/types` requests. @default true */
  typesCache?: boolean;
}

/** What `GET /` lists for clients other than browsers (which get the web UI). */
const INDEX_TEXT = `hivelab trace collector (web UI: open this address in a browser)

ingest   POST /api/v2/spans (Zipkin v2 JSON or proto3), POST /v1/traces (OTLP/HTTP JSON or protobuf); gzip ok
zipkin   GET /api/v2/services, /spans?serviceName=, /remoteServices?serviceName=, /traces, /trace/{id},
         /traceMany?traceIds=, /dependencies?endTs=, /autocompleteKeys, /autocompleteValues?key=
jaeger   GET /api/services, /api/services/{service}/operations, /api/operations?service=, /api/traces,
         /api/traces/{id}, /api/dependencies; v3: /api/v3/services, /operations, /traces, /trace-summaries;
         the same under /jaeger/api/; /api/metrics/* answers 501 (not enabled)
lens     GET /zipkin/config.json, /zipkin/api/v2/...
hivelab  POST/GET /api/hivelab/runs, GET /api/hivelab/platform/functions
analysis GET /api/hivelab/types, /api/hivelab/anomalies, /api/hivelab/traces/{id}/analysis
status   GET /health, /metrics (Prometheus)
`;

function healthRoutes(context: ServerContext, uiIndex?: Route['handler']): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/',
      handler: (req, res, ctx) =>
        uiIndex && acceptsHtml(req)
          ? uiIndex(req, res, ctx)
          : send(res, 200, INDEX_TEXT, 'text/plain; charset=utf-8'),
    },
    {
      method: 'GET',
      pattern: '/health',
      handler: async (_req, res) => {
        const m = context.metrics();
        try {
          const stats = await context.store.stats();
          sendJson(res, 200, {
            status: 'UP',
            store: stats,
            queue: { queuedSpans: m.queuedSpans, maxQueuedSpans: m.maxQueuedSpans },
          });
        } catch (error) {
          sendJson(res, 503, { status: 'DOWN', reason: `store: ${(error as Error).message}` });
        }
      },
    },
    {
      method: 'GET',
      pattern: '/metrics',
      handler: async (_req, res) => {
        const stats = await context.store.stats();
        send(
          res,
          200,
          renderPrometheus(context.metrics(), stats) + (context.extraMetrics?.() ?? ''),
          'text/plain; version=0.0.4; charset=utf-8',
        );
      },
    },
  ];
}

/** Every route of the main port. */
export function mainRoutes(context: ServerContext): Route[] {
  const ui = uiRoutes();
  return [
    ...ingestRoutes(context.ingest),
    ...zipkinRoutes(context.store, context.now),
    ...searchSummaryRoutes(context.store, context.now),
    ...jaegerRoutes(context.store, context.now, context.log),
    ...compatRoutes(context.store, context.now, context.log),
    ...hivelabRoutes(context.runs, context.platform),
    ...analysisRoutes(context.store, context.now, context.typesCache ?? true),
    ...healthRoutes(context, ui.find((r) => r.pattern === '/')?.handler),
    ...ui.filter((r) => r.pattern !== '/'),
  ];
}

/** Routes of the separate OTLP port: ingest, health and metrics. */
export function otlpRoutes(context: ServerContext): Route[] {
  return [...ingestRoutes(context.ingest, true), ...healthRoutes(context)];
}

/** Creates and binds a server; a port in use is a `UserError` naming the flag to change. */
export async function listen(
  routes: readonly Route[],
  host: string,
  port: number,
  flag: string,
  log: (line: string) => void,
): Promise<{ server: http.Server; port: number }> {
  // Keep-alive longer than common client pools (OTel, undici) so connections are reused.
  const server = http.createServer({ keepAliveTimeout: 65_000 }, createRouter(routes, log));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(
              `port ${port} on ${host} is already in use`,
              `pass another ${flag} (0 picks a free one)`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Stops accepting, lets in-flight requests finish, then closes idle keep-alive sockets. */
export function stopListening(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
