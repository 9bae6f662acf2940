/**
 * The paths other trace UIs expect, over the same handlers:
 * - Zipkin Lens as Zipkin deploys it: `/zipkin/config.json` and the API under `/zipkin/api/v2/`;
 * - Istio's Jaeger addon (`--query.base-path=/jaeger`): the Jaeger API under `/jaeger/api/`;
 * - Jaeger's Monitor tab: `/api/metrics/*` answers 501, which the UI reads as "not enabled".
 */
import type { TraceStore } from '../../store/index.js';
import { sendJson } from '../../http/index.js';
import type { Route } from '../http/router.js';
import { jaegerRoutes } from './jaeger-api.js';
import { jaegerV3Routes } from './jaeger-v3-api.js';
import { zipkinRoutes } from './zipkin-api.js';

/** Zipkin Lens's settings, with Zipkin's defaults (ZipkinUiConfiguration). */
export const ZIPKIN_LENS_CONFIG = {
  environment: 'hivelab',
  queryLimit: 10,
  defaultLookback: 15 * 60 * 1000,
  searchEnabled: true,
  dependency: { enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 },
} as const;

const METRICS = ['latencies', 'calls', 'errors', 'minstep'] as const;

function prefixed(prefix: string, routes: readonly Route[]): Route[] {
  return routes.map((r) => ({ ...r, pattern: `${prefix}${r.pattern}` }));
}

function metricsRoutes(): Route[] {
  return METRICS.map((name) => ({
    method: 'GET',
    pattern: `/api/metrics/${name}`,
    handler: (_req, res) =>
      sendJson(res, 501, {
        data: null,
        total: 0,
        limit: 0,
        offset: 0,
        errors: [{ code: 501, msg: 'metrics querying is currently disabled: hivelab has no metrics store' }],
      }),
  }));
}

/** Every compatibility route; `now` gives epoch milliseconds. */
export function compatRoutes(store: TraceStore, now: () => number, log: (line: string) => void): Route[] {
  const jaeger = [...jaegerRoutes(store, now, log), ...jaegerV3Routes(store, now, log), ...metricsRoutes()];
  return [
    ...jaegerV3Routes(store, now, log),
    ...metricsRoutes(),
    ...prefixed('/jaeger', jaeger),
    ...prefixed('/zipkin', zipkinRoutes(store, now)),
    {
      method: 'GET',
      pattern: '/zipkin/config.json',
      handler: (_req, res) => sendJson(res, 200, ZIPKIN_LENS_CONFIG),
    },
  ];
}
