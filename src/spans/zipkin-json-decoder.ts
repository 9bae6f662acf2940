/**
 * Zipkin v2 JSON → spans. The collector's hot path (>= 100 000 spans/s on 2 cores), so this
 * is a hand-written validator over `JSON.parse`'s objects: no schema library, no regex per
 * char, one new object per span.
 */
import { SpanFormatError, type DecodeOptions, type DecodeResult } from './decode-result.js';
import { parseJsonBody } from './json-body.js';
import type { Annotation, Endpoint, Span, SpanKind } from '../tracing/index.js';
import {
  Rejections,
  SpanRejected,
  describeValue,
  optionalDurationUs,
  optionalEpochUs,
  requireSpanId,
  requireTraceId,
} from './span-rules.js';
import { isZipkinV1Span, zipkinV1Error } from './zipkin-v1.js';

type Json = Record<string, unknown>;

/** Decodes a Zipkin v2 JSON array (the body of `POST /api/v2/spans`). */
export function decodeZipkinJson(body: Buffer | string, options: DecodeOptions = {}): DecodeResult {
  return zipkinSpansFromJson(parseJsonBody(body), options);
}

/** Validates an already parsed Zipkin v2 JSON value (an array of span objects). */
export function zipkinSpansFromJson(parsed: unknown, options: DecodeOptions = {}): DecodeResult {
  if (!Array.isArray(parsed)) {
    const hint =
      parsed !== null && typeof parsed === 'object' && 'resourceSpans' in parsed
        ? ' (this looks like OTLP: POST it to /v1/traces)'
        : '';
    throw new SpanFormatError(
      `expected a JSON array of Zipkin v2 spans, got ${parsed === null ? 'null' : typeof parsed}${hint}`,
    );
  }
  const nowUs = options.nowUs ?? Date.now() * 1000;
  const rejections = new Rejections(options.maxErrors ?? 10);
  const spans: Span[] = [];
  const items = parsed as unknown[];
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      rejections.add(i, new SpanRejected(`must be a JSON object, got ${describeValue(raw)}`));
      continue;
    }
    if (isZipkinV1Span(raw as Json)) throw zipkinV1Error(i);
    try {
      spans.push(zipkinSpanFromJson(raw as Json, nowUs));
    } catch (error) {
      if (!(error instanceof SpanRejected)) throw error;
      rejections.add(i, error);
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.errors };
}

const KINDS: ReadonlySet<string> = new Set(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']);

/** One validated span; throws `SpanRejected` naming the first broken rule. */
export function zipkinSpanFromJson(raw: Json, nowUs: number): Span {
  const span: Span = { traceId: requireTraceId(raw.traceId, 'traceId'), id: requireSpanId(raw.id, 'id') };
  if (raw.parentId !== undefined && raw.parentId !== null)
    span.parentId = requireSpanId(raw.parentId, 'parentId');
  const name = raw.name;
  if (name !== undefined && name !== null && name !== '') {
    if (typeof name !== 'string') throw new SpanRejected(`name must be a string, got ${describeValue(name)}`);
    span.name = name;
  }
  const kind = raw.kind;
  if (kind !== undefined && kind !== null) {
    if (typeof kind !== 'string' || !KINDS.has(kind)) {
      throw new SpanRejected(
        `kind must be one of CLIENT, SERVER, PRODUCER, CONSUMER, got ${describeValue(kind)}`,
      );
    }
    span.kind = kind as SpanKind;
  }
  const timestamp = optionalEpochUs(raw.timestamp, 'timestamp', nowUs);
  if (timestamp !== undefined) span.timestamp = timestamp;
  const duration = optionalDurationUs(raw.duration, 'duration');
  if (duration !== undefined) span.duration = duration;
  const localEndpoint = endpointFromJson(raw.localEndpoint, 'localEndpoint');
  if (localEndpoint !== undefined) span.localEndpoint = localEndpoint;
  const remoteEndpoint = endpointFromJson(raw.remoteEndpoint, 'remoteEndpoint');
  if (remoteEndpoint !== undefined) span.remoteEndpoint = remoteEndpoint;
  const annotations = annotationsFromJson(raw.annotations, nowUs);
  if (annotations !== undefined) span.annotations = annotations;
  const tags = tagsFromJson(raw.tags);
  if (tags !== undefined) span.tags = tags;
  if (raw.debug !== undefined && raw.debug !== null) span.debug = requireBoolean(raw.debug, 'debug');
  if (raw.shared !== undefined && raw.shared !== null) span.shared = requireBoolean(raw.shared, 'shared');
  return span;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new SpanRejected(`${field} must be true or false, got ${describeValue(value)}`);
  return value;
}

function endpointFromJson(value: unknown, field: string): Endpoint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SpanRejected(
      `${field} must be an object {serviceName, ipv4, ipv6, port}, got ${describeValue(value)}`,
    );
  }
  const raw = value as Json;
  const endpoint: Endpoint = {};
  // Unrolled (no loop over key names): this runs twice per span on the ingest hot path.
  const serviceName = optionalString(raw.serviceName, field, 'serviceName');
  if (serviceName !== undefined) endpoint.serviceName = serviceName;
  const ipv4 = optionalString(raw.ipv4, field, 'ipv4');
  if (ipv4 !== undefined) endpoint.ipv4 = ipv4;
  const ipv6 = optionalString(raw.ipv6, field, 'ipv6');
  if (ipv6 !== undefined) endpoint.ipv6 = ipv6;
  const port = raw.port;
  if (port !== undefined && port !== null && port !== 0) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new SpanRejected(`${field}.port must be an integer 0-65535, got ${describeValue(port)}`);
    }
    endpoint.port = port;
  }
  const empty =
    serviceName === undefined && ipv4 === undefined && ipv6 === undefined && endpoint.port === undefined;
  return empty ? undefined : endpoint;
}

function optionalString(value: unknown, field: string, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new SpanRejected(`${field}.${key} must be a string, got ${describeValue(value)}`);
  return value;
}

function annotationsFromJson(value: unknown, nowUs: number): Annotation[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new SpanRejected(`annotations must be an array of {timestamp, value}, got ${describeValue(value)}`);
  }
  if (value.length === 0) return undefined;
  const out: Annotation[] = [];
  let sorted = true;
  for (let i = 0; i < value.length; i++) {
    const a = value[i] as unknown;
    if (a === null || typeof a !== 'object') {
      throw new SpanRejected(
        `annotations[${i}] must be an object {timestamp, value}, got ${describeValue(a)}`,
      );
    }
    const { timestamp: ts, value: text } = a as Json;
    const timestamp = optionalEpochUs(ts, `annotations[${i}].timestamp`, nowUs);
    if (timestamp === undefined) throw new SpanRejected(`annotations[${i}].timestamp is required`);
    if (typeof text !== 'string' || text === '') {
      throw new SpanRejected(
        `annotations[${i}].value must be a non-empty string, got ${describeValue(text)}`,
      );
    }
    if (i > 0 && timestamp < out[i - 1]!.timestamp) sorted = false;
    out.push({ timestamp, value: text });
  }
  if (!sorted) out.sort((x, y) => x.timestamp - y.timestamp);
  return out;
}

function tagsFromJson(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SpanRejected(`tags must be an object of string values, got ${describeValue(value)}`);
  }
  const raw = value as Json;
  // JSON.parse gives a fresh plain object that nobody else holds: reuse it, converting
  // numbers and booleans to strings in place as Zipkin does.
  let empty = true;
  for (const key in raw) {
    empty = false;
    const v = raw[key];
    if (typeof v === 'string') continue;
    if (typeof v === 'number' || typeof v === 'boolean') raw[key] = String(v);
    else throw new SpanRejected(`tags.${key} must be a string, number or boolean, got ${describeValue(v)}`);
  }
  return empty ? undefined : (raw as Record<string, string>);
}
