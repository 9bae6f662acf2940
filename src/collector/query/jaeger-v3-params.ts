/**
 * Query parameters of Jaeger's v3 API (`query.*`), in snake_case as grpc-gateway and the
 * Jaeger UI's client send them or in camelCase: service, operation (`operation_name` or
 * the UI's `span_name`), `start_time_min`/`max` (RFC 3339), `duration_min`/`max` (Go
 * durations), `search_depth` or `num_traces`, attributes (`query.attributes[k]=v`, or
 * one `query.attributes` as a JSON object or `k=v k2=v2`). Pure; 400s name the parameter.
 */
import { HttpError } from '../../errors.js';
import type { TraceQuery } from '../../store/index.js';
import { DEFAULT_LOOKBACK_MS, JAEGER_DEFAULT_LIMIT, parseGoDurationUs } from './params.js';

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The first non-empty value among the snake_case and camelCase spellings of `query.<names>`. */
function pick(query: URLSearchParams, ...names: string[]): { name: string; value: string } | undefined {
  for (const n of names) {
    for (const spelled of [`query.${n}`, `query.${camel(n)}`]) {
      const value = query.get(spelled)?.trim();
      if (value) return { name: spelled, value };
    }
  }
  return undefined;
}

function timeMs(p: { name: string; value: string } | undefined): number | undefined {
  if (!p) return undefined;
  const ms = /^\d+$/.test(p.value) ? Number(p.value) / 1000 : Date.parse(p.value);
  if (!Number.isFinite(ms)) {
    throw new HttpError(
      400,
      `invalid ${p.name} "${p.value}": expected an RFC 3339 time such as 2024-01-02T15:04:05Z`,
    );
  }
  return ms;
}

function attributes(query: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    const m = /^query\.attributes\[(.+)\]$/.exec(key);
    if (m) out[m[1]!] = value;
  }
  const raw = pick(query, 'attributes');
  if (raw) {
    if (raw.value.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.value);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new HttpError(400, `invalid ${raw.name}: expected a JSON object such as {"error":"true"}`);
      }
      for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    } else {
      for (const term of raw.value.split(/\s+/)) {
        const eq = term.indexOf('=');
        if (eq <= 0) throw new HttpError(400, `invalid ${raw.name} term "${term}": expected key=value`);
        out[term.slice(0, eq)] = term.slice(eq + 1);
      }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `query.*` → a store query (Jaeger's rule is applied after, see jaeger-search.ts). */
export function parseV3TraceQuery(query: URLSearchParams, nowMs: number): TraceQuery {
  const service = pick(query, 'service_name');
  const operation = pick(query, 'operation_name', 'span_name');
  const maxMs = timeMs(pick(query, 'start_time_max')) ?? nowMs;
  const minMs = timeMs(pick(query, 'start_time_min')) ?? maxMs - DEFAULT_LOOKBACK_MS;
  if (minMs >= maxMs) throw new HttpError(400, 'query.start_time_min must be before query.start_time_max');
  const dMin = pick(query, 'duration_min');
  const dMax = pick(query, 'duration_max');
  const depth = pick(query, 'search_depth', 'num_traces');
  const limit = depth ? Number(depth.value) : JAEGER_DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new HttpError(400, `invalid ${depth!.name} "${depth!.value}": expected a count of traces`);
  }
  const out: TraceQuery = {
    endTsMs: Math.ceil(maxMs),
    lookbackMs: Math.max(1, Math.ceil(maxMs) - Math.floor(minMs)),
    limit: limit === 0 ? JAEGER_DEFAULT_LIMIT : limit,
  };
  if (service) out.serviceName = service.value;
  if (operation) out.spanName = operation.value;
  if (dMin) out.minDurationUs = parseGoDurationUs(dMin.value, dMin.name);
  if (dMax) out.maxDurationUs = parseGoDurationUs(dMax.value, dMax.name);
  const tags = attributes(query);
  if (tags) out.annotationQuery = tags;
  return out;
}
