/**
 * The analyzer over the collector's store, for the web UI and scripts:
 * `GET /api/hivelab/types`, `/api/hivelab/anomalies`, `/api/hivelab/traces/{id}/analysis`,
 * with the CLI's flags as query parameters (`lookback`, `start`, `end`, `service`,
 * `operation`, `limit`, `key`, `maxClockSkew`; for anomalies `method`, `k`, `metric`,
 * `minCount`, `top`, `withTypes=true` (the types too, from the same pass: the web UI's
 * `/types`), and `baseline` + `window` for window mode; for a trace's analysis
 * `spans=times`: each span as its id and times only). Answers are the CLI's
 * `--format json` shapes; a bad parameter answers 400 naming it.
 */
import {
  ANOMALY_METRICS,
  KEY_KINDS,
  StoreSource,
  analyzeAnomalies,
  analyzeTraceById,
  analyzeTraceTimesById,
  analyzeTypes,
  analyzeTypesAndAnomalies,
  analyzeWindow,
  parseDurationUs,
  parseRangeUs,
  resolveWindow,
  type AnalysisQuery,
  type AnomaliesQuery,
} from '../../analysis/index.js';
import { HttpError, UserError } from '../../errors.js';
import type { TraceStore } from '../../store/index.js';
import { sendJson } from '../../http/index.js';
import type { Route, RouteHandler } from '../http/router.js';
import { parseTraceId } from './trace-id.js';

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

function param(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function positive(query: URLSearchParams, name: string, integer: boolean): number | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw bad(`invalid ${name} "${raw}": expected a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

function choice<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const raw = param(query, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw bad(`invalid ${name} "${raw}": expected one of ${allowed.join(', ')}`);
  return raw as T;
}

/** The analysis query of the parameters; windows default to the last hour. */
export function parseAnalysisQuery(query: URLSearchParams, nowMs: number): AnalysisQuery {
  const flags = {
    ...(param(query, 'start') !== undefined ? { start: param(query, 'start') } : {}),
    ...(param(query, 'end') !== undefined ? { end: param(query, 'end') } : {}),
    ...(param(query, 'lookback') !== undefined ? { lookback: param(query, 'lookback') } : {}),
  };
  const window = resolveWindow(flags, nowMs * 1000, 3_600_000_000, '');
  const skew = param(query, 'maxClockSkew');
  const key = choice(query, 'key', KEY_KINDS);
  const limit = positive(query, 'limit', true);
  const service = param(query, 'service');
  const operation = param(query, 'operation');
  return {
    ...(window !== undefined ? { window } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(skew !== undefined ? { maxClockSkewUs: parseDurationUs(skew, 'maxClockSkew') } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(service !== undefined ? { service } : {}),
    ...(operation !== undefined ? { operation } : {}),
  };
}

function parseAnomaliesQuery(query: URLSearchParams, nowMs: number): AnomaliesQuery {
  const method = choice(query, 'method', ['mad', 'sigma'] as const);
  const k = positive(query, 'k', false);
  const minCount = positive(query, 'minCount', true);
  const top = positive(query, 'top', true);
  const metric = param(query, 'metric');
  const metrics = metric?.split(',').map((m) => {
    if (!(ANOMALY_METRICS as readonly string[]).includes(m)) {
      throw bad(`invalid metric "${m}": expected a comma-separated list of ${ANOMALY_METRICS.join(', ')}`);
    }
    return m as (typeof ANOMALY_METRICS)[number];
  });
  return {
    ...parseAnalysisQuery(query, nowMs),
    ...(method !== undefined ? { method } : {}),
    ...(k !== undefined ? { k } : {}),
    ...(minCount !== undefined ? { minCount } : {}),
    ...(top !== undefined ? { top } : {}),
    ...(metrics !== undefined ? { metrics } : {}),
  };
}

/** User errors of the analysis (bad times, unknown trace) become 400/404. */
function analysisHandler(handler: RouteHandler, missing = 400): RouteHandler {
  return async (request, response, context) => {
    try {
      await handler(request, response, context);
    } catch (error) {
      if (error instanceof UserError)
        throw new HttpError(error.message.includes('not found') ? missing : 400, error.message);
      throw error;
    }
  };
}

/**
 * The `/api/hivelab/*` analysis routes over `store`; request types are cached per time
 * bucket between requests unless `typesCache` is false.
 */
export function analysisRoutes(store: TraceStore, now: () => number, typesCache = true): Route[] {
  const source = new StoreSource(store, 'the collector store', false, typesCache ? {} : undefined);
  return [
    {
      method: 'GET',
      pattern: '/api/hivelab/types',
      handler: analysisHandler(async (_req, res, { query }) => {
        sendJson(res, 200, await analyzeTypes(source, parseAnalysisQuery(query, now())));
      }),
    },
    {
      method: 'GET',
      pattern: '/api/hivelab/anomalies',
      handler: analysisHandler(async (_req, res, { query }) => {
        const parsed = parseAnomaliesQuery(query, now());
        const baseline = param(query, 'baseline');
        const window = param(query, 'window');
        if ((baseline === undefined) !== (window === undefined)) {
          throw bad('window mode needs both baseline=START..END and window=START..END');
        }
        if (baseline !== undefined && window !== undefined) {
          const ranges = {
            baseline: parseRangeUs(baseline, 'baseline'),
            window: parseRangeUs(window, 'window'),
          };
          sendJson(res, 200, await analyzeWindow(source, ranges, parsed));
          return;
        }
        const withTypes = choice(query, 'withTypes', ['true', 'false'] as const) === 'true';
        sendJson(
          res,
          200,
          withTypes ? await analyzeTypesAndAnomalies(source, parsed) : await analyzeAnomalies(source, parsed),
        );
      }),
    },
    {
      method: 'GET',
      pattern: '/api/hivelab/traces/{traceId}/analysis',
      handler: analysisHandler(async (_req, res, { params, query }) => {
        const skew = param(query, 'maxClockSkew');
        const spans = choice(query, 'spans', ['full', 'times'] as const);
        const options = skew !== undefined ? { maxClockSkewUs: parseDurationUs(skew, 'maxClockSkew') } : {};
        const id = parseTraceId(params.traceId ?? '');
        sendJson(
          res,
          200,
          spans === 'times'
            ? await analyzeTraceTimesById(source, id, options)
            : await analyzeTraceById(source, id, options),
        );
      }, 404),
    },
  ];
}
