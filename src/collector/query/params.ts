/**
 * Query-parameter parsing for the Zipkin v2 and Jaeger APIs (pure). Rules and messages
 * follow Zipkin's `QueryRequest` (e.g. `maxDuration is only valid with minDuration`) and
 * Jaeger's query parser (Go durations such as `100ms`, `1.5s`, `500us`); every failure
 * is a 400 naming the parameter and the expected form.
 */
import { HttpError } from '../../errors.js';
import { parseGoDurationUs as parseGoDuration } from '../../go-duration.js';
import type { TraceQuery } from '../../store/index.js';

/** Zipkin's default `lookback` and the default window of Jaeger searches: one day. */
export const DEFAULT_LOOKBACK_MS = 86_400_000;
/** Zipkin's default `limit` of `/api/v2/traces`. */
export const ZIPKIN_DEFAULT_LIMIT = 10;
/** Jaeger query's default `limit` of `/api/traces`. */
export const JAEGER_DEFAULT_LIMIT = 100;

const INTEGER = /^-?\d+$/;

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

/** A non-empty, trimmed parameter, or `undefined`. */
export function optionalString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value ? value : undefined;
}

/** A required, non-empty parameter. */
export function requiredString(query: URLSearchParams, name: string): string {
  const value = optionalString(query, name);
  if (value === undefined) throw bad(`${name} is required`);
  return value;
}

/** An optional integer parameter; `what` describes the unit in the error message. */
export function optionalInteger(query: URLSearchParams, name: string, what: string): number | undefined {
  const raw = query.get(name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!INTEGER.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw bad(`invalid ${name} "${raw}": expected an integer (${what})`);
  }
  return Number(raw);
}

/**
 * Zipkin's `annotationQuery`: terms joined by ` and `; `key=value` matches a tag,
 * a bare word an annotation value or a tag key.
 */
export function parseAnnotationQuery(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const result: Record<string, string> = {};
  for (const term of raw.split(/\s+and\s+/i)) {
    const trimmed = term.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq === 0) throw bad(`invalid annotationQuery term "${trimmed}": expected key=value or a word`);
    if (eq < 0) result[trimmed] = '';
    else result[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** `/api/v2/traces` parameters → a store query, with Zipkin's 400 rules. */
export function parseZipkinTraceQuery(query: URLSearchParams, nowMs: number): TraceQuery {
  const spanName = optionalString(query, 'spanName');
  const minDurationUs = optionalInteger(query, 'minDuration', 'microseconds');
  const maxDurationUs = optionalInteger(query, 'maxDuration', 'microseconds');
  const endTsMs = optionalInteger(query, 'endTs', 'epoch milliseconds') ?? nowMs;
  const lookbackMs = optionalInteger(query, 'lookback', 'milliseconds') ?? DEFAULT_LOOKBACK_MS;
  const limit = optionalInteger(query, 'limit', 'a count of traces') ?? ZIPKIN_DEFAULT_LIMIT;
  if (endTsMs <= 0) throw bad('endTs <= 0');
  if (lookbackMs <= 0) throw bad('lookback <= 0');
  if (limit <= 0) throw bad('limit <= 0');
  if (minDurationUs !== undefined && minDurationUs <= 0) throw bad('minDuration <= 0');
  if (maxDurationUs !== undefined) {
    if (minDurationUs === undefined) throw bad('maxDuration is only valid with minDuration');
    if (maxDurationUs < minDurationUs) throw bad('maxDuration < minDuration');
  }
  return compact({
    serviceName: optionalString(query, 'serviceName'),
    remoteServiceName: optionalString(query, 'remoteServiceName'),
    // Zipkin's UI sends spanName=all for "any".
    spanName: spanName === 'all' ? undefined : spanName,
    annotationQuery: parseAnnotationQuery(query.get('annotationQuery') ?? undefined),
    minDurationUs,
    maxDurationUs,
    endTsMs,
    lookbackMs,
    limit,
  });
}

/** `endTs` (required) and `lookback` of the dependency endpoints, in milliseconds. */
export function parseDependencyWindow(
  query: URLSearchParams,
  defaultEndTsMs?: number,
): { endTsMs: number; lookbackMs: number } {
  const endTsMs = optionalInteger(query, 'endTs', 'epoch milliseconds') ?? defaultEndTsMs;
  if (endTsMs === undefined) throw bad('endTs is required (epoch milliseconds)');
  const lookbackMs = optionalInteger(query, 'lookback', 'milliseconds') ?? DEFAULT_LOOKBACK_MS;
  if (endTsMs <= 0) throw bad('endTs <= 0');
  if (lookbackMs <= 0) throw bad('lookback <= 0');
  return { endTsMs, lookbackMs };
}

/** Comma-separated ids of `/api/v2/traceMany`, deduplicated, at least one. */
export function parseTraceIdList(raw: string | null): string[] {
  const ids = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw bad('traceIds parameter is empty: expected comma-separated trace ids');
  return [...new Set(ids)];
}

/** A Go duration (`100ms`, `1.5s`, `1h30m`, `500us`) in whole microseconds. */
export function parseGoDurationUs(raw: string, name: string): number {
  const us = parseGoDuration(raw);
  if (us === undefined)
    throw bad(`invalid ${name} "${raw}": expected a duration such as 100ms, 1.5s or 500us`);
  return Math.round(us);
}

/**
 * Jaeger's `tags` parameter: a JSON object `{"k":"v"}` (values stringified), plus any
 * repeated `tag=k:v` parameters.
 */
export function parseJaegerTags(query: URLSearchParams): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const raw of query.getAll('tags')) {
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw bad(
        `invalid tags ${JSON.stringify(raw)}: expected a JSON object such as {"http.status_code":"500"}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw bad(`invalid tags ${JSON.stringify(raw)}: expected a JSON object such as {"error":"true"}`);
    }
    for (const [k, v] of Object.entries(parsed)) result[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const raw of query.getAll('tag')) {
    const colon = raw.indexOf(':');
    if (colon <= 0) throw bad(`invalid tag "${raw}": expected key:value`);
    result[raw.slice(0, colon)] = raw.slice(colon + 1);
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** `/api/traces` parameters → a store query. `service` is required. */
export function parseJaegerTraceQuery(query: URLSearchParams, nowMs: number): TraceQuery {
  const serviceName = optionalString(query, 'service');
  if (serviceName === undefined) throw bad("parameter 'service' is required");
  const endUs = optionalInteger(query, 'end', 'epoch microseconds') ?? nowMs * 1000;
  const lookback = optionalString(query, 'lookback');
  const lookbackUs =
    lookback && lookback !== 'custom' ? parseGoDurationUs(lookback, 'lookback') : DEFAULT_LOOKBACK_MS * 1000;
  const startUs = optionalInteger(query, 'start', 'epoch microseconds') ?? endUs - lookbackUs;
  if (startUs >= endUs) throw bad("'start' must be before 'end' (epoch microseconds)");
  const rawLimit = optionalInteger(query, 'limit', 'a count of traces');
  if (rawLimit !== undefined && rawLimit < 0) throw bad('invalid limit: expected a count of traces >= 0');
  const min = optionalString(query, 'minDuration');
  const max = optionalString(query, 'maxDuration');
  const minDurationUs = min === undefined ? undefined : parseGoDurationUs(min, 'minDuration');
  const maxDurationUs = max === undefined ? undefined : parseGoDurationUs(max, 'maxDuration');
  if (minDurationUs !== undefined && maxDurationUs !== undefined && maxDurationUs < minDurationUs) {
    throw bad("'maxDuration' should be greater than 'minDuration'");
  }
  // The store's window is (endTs - lookback, endTs] in ms; widen to whole milliseconds.
  const endTsMs = Math.ceil(endUs / 1000);
  return compact({
    serviceName,
    spanName: optionalString(query, 'operation'),
    annotationQuery: parseJaegerTags(query),
    minDurationUs,
    maxDurationUs,
    endTsMs,
    lookbackMs: Math.max(1, endTsMs - Math.floor(startUs / 1000)),
    limit: rawLimit ? rawLimit : JAEGER_DEFAULT_LIMIT,
  });
}

/** Drops `undefined` members (the store's query type uses optional, not undefined, fields). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
