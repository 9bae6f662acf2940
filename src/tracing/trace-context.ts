/**
 * Trace context propagation over HTTP headers: W3C `traceparent`/`tracestate`, B3 single
 * header (`b3`) and B3 multi-header (`X-B3-*`). Extraction tries them in that order and
 * skips a malformed header rather than failing the request; injection writes W3C and B3
 * multi so that both OpenTelemetry and Zipkin instrumentation downstream pick it up.
 */
import { hexState } from './hex.js';
import { normalizeSpanId } from './trace-id.js';

/** The part of a span that travels to the next hop. */
export interface TraceContext {
  /** 16 or 32 lower-case hex characters. */
  traceId: string;
  /** The caller's span: the parent of the span the receiver creates. */
  spanId: string;
  /** The caller's parent (B3 only; W3C does not carry it). */
  parentSpanId?: string;
  /** Absent means "decide yourself". */
  sampled?: boolean;
  /** W3C `tracestate`, passed through unchanged. */
  traceState?: string;
  /** B3 debug flag (`X-B3-Flags: 1` or `b3: …-d`); implies sampled. */
  debug?: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

/** Case-insensitive header lookup; the first value of a repeated header. */
function header(headers: Headers, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.length === name.length && key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return value === undefined ? undefined : value.trim();
}

/** A trace id (16 or 32 hex, not all zeros), lower-cased, kept at its sent length. */
function traceIdOf(text: string): string | undefined {
  if (text.length !== 16 && text.length !== 32) return undefined;
  const state = hexState(text);
  if (state === 'invalid' || state === 'zero') return undefined;
  return state === 'upper' ? text.toLowerCase() : text;
}

/** Parses W3C `traceparent` (version 00, or a later version read as 00 allows). */
export function parseTraceparent(value: string): TraceContext | undefined {
  const parts = value.split('-');
  if (parts.length < 4) return undefined;
  const [version, traceId, spanId, flags] = parts as [string, string, string, string];
  if (version.length !== 2 || hexState(version) === 'invalid' || version.toLowerCase() === 'ff')
    return undefined;
  if (version === '00' && (parts.length !== 4 || value.length !== 55)) return undefined;
  // W3C requires lower case; be strict so a mangled header is not silently reused.
  if (traceId.length !== 32 || hexState(traceId) !== 'lower') return undefined;
  if (spanId.length !== 16 || hexState(spanId) !== 'lower') return undefined;
  if (flags.length !== 2 || hexState(flags) === 'invalid') return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** Parses the B3 single header `{traceId}-{spanId}[-{sampling}[-{parentSpanId}]]`. */
export function parseB3Single(value: string): TraceContext | undefined {
  const parts = value.split('-');
  // A lone sampling flag ("0", "1", "d") carries no ids: nothing to continue.
  if (parts.length < 2 || parts.length > 4) return undefined;
  const traceId = traceIdOf(parts[0]!);
  const spanId = normalizeSpanId(parts[1]!);
  if (traceId === undefined || spanId === undefined) return undefined;
  const ctx: TraceContext = { traceId, spanId };
  if (parts.length >= 3) {
    const sampling = parts[2]!;
    if (sampling === '1') ctx.sampled = true;
    else if (sampling === '0') ctx.sampled = false;
    else if (sampling === 'd') {
      ctx.sampled = true;
      ctx.debug = true;
    } else return undefined;
  }
  if (parts.length === 4) {
    const parent = normalizeSpanId(parts[3]!);
    if (parent === undefined) return undefined;
    ctx.parentSpanId = parent;
  }
  return ctx;
}

function parseB3Multi(headers: Headers): TraceContext | undefined {
  const traceIdText = header(headers, 'x-b3-traceid');
  const spanIdText = header(headers, 'x-b3-spanid');
  if (traceIdText === undefined || spanIdText === undefined) return undefined;
  const traceId = traceIdOf(traceIdText);
  const spanId = normalizeSpanId(spanIdText);
  if (traceId === undefined || spanId === undefined) return undefined;
  const ctx: TraceContext = { traceId, spanId };
  const parentText = header(headers, 'x-b3-parentspanid');
  if (parentText !== undefined && parentText !== '') {
    const parent = normalizeSpanId(parentText);
    if (parent === undefined) return undefined;
    ctx.parentSpanId = parent;
  }
  const sampled = header(headers, 'x-b3-sampled');
  if (sampled === '1' || sampled === 'true') ctx.sampled = true;
  else if (sampled === '0' || sampled === 'false') ctx.sampled = false;
  if (header(headers, 'x-b3-flags') === '1') {
    ctx.sampled = true;
    ctx.debug = true;
  }
  return ctx;
}

/**
 * The incoming trace context: W3C `traceparent` first, then B3 single `b3`, then B3
 * multi-header. Malformed headers are ignored; `undefined` when none is usable.
 */
export function extractTraceContext(headers: Headers): TraceContext | undefined {
  const traceparent = header(headers, 'traceparent');
  if (traceparent !== undefined) {
    const ctx = parseTraceparent(traceparent);
    if (ctx !== undefined) {
      const traceState = header(headers, 'tracestate');
      if (traceState !== undefined && traceState !== '') ctx.traceState = traceState;
      return ctx;
    }
  }
  const b3 = header(headers, 'b3');
  if (b3 !== undefined) {
    const ctx = parseB3Single(b3);
    if (ctx !== undefined) return ctx;
  }
  return parseB3Multi(headers);
}

/** The headers `injectTraceContext` owns, lower-cased. (`b3` is left to the caller.) */
const TRACE_HEADERS: ReadonlySet<string> = new Set([
  'traceparent',
  'tracestate',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
]);

/**
 * Writes `ctx` as W3C `traceparent` (+ `tracestate`) and B3 multi-headers (`X-B3-TraceId`,
 * `X-B3-SpanId`, `X-B3-ParentSpanId`, `X-B3-Sampled`, `X-B3-Flags`). A 64-bit trace id is
 * left-padded with zeros for W3C, which needs 128 bits. Those headers already there in any
 * letter case (e.g. copied from the incoming request) are removed first, so that a stale
 * `x-b3-spanid` is never sent beside the new `X-B3-SpanId`. A `b3` single header is not
 * written nor touched: callers who want it set it themselves.
 */
export function injectTraceContext(ctx: TraceContext, headers: Record<string, string>): void {
  for (const key of Object.keys(headers)) {
    if (TRACE_HEADERS.has(key.toLowerCase())) delete headers[key];
  }
  const traceId128 = ctx.traceId.length === 32 ? ctx.traceId : ctx.traceId.padStart(32, '0');
  // W3C has no "undecided": only an explicit "not sampled" clears the flag.
  headers.traceparent = `00-${traceId128}-${ctx.spanId}-${ctx.sampled === false ? '00' : '01'}`;
  if (ctx.traceState !== undefined && ctx.traceState !== '') headers.tracestate = ctx.traceState;
  headers['X-B3-TraceId'] = ctx.traceId;
  headers['X-B3-SpanId'] = ctx.spanId;
  if (ctx.parentSpanId !== undefined) headers['X-B3-ParentSpanId'] = ctx.parentSpanId;
  if (ctx.debug) headers['X-B3-Flags'] = '1';
  else if (ctx.sampled !== undefined) headers['X-B3-Sampled'] = ctx.sampled ? '1' : '0';
}
