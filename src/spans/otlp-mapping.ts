/**
 * An OTLP `ExportTraceServiceRequest` (parsed JSON, or protobufjs's decoded message: both
 * use lowerCamelCase field names) → hivelab spans, following the OTLP → Zipkin mapping of
 * OpenTelemetry's Zipkin exporter:
 * - resource `service.name` → `localEndpoint.serviceName`;
 * - attributes → tags (non-strings stringified, arrays and maps as JSON);
 * - events → annotations (the event name as value);
 * - status ERROR → tag `error` = status message or "true" (and `otel.status_code`);
 * - kind 1 internal → no kind, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER;
 * - `peer.service`, `server.address` (client side) or `net.peer.name` → remote service;
 * - instrumentation scope → tags `otel.scope.name`, `otel.scope.version`.
 */
import { SpanFormatError, type DecodeOptions, type DecodeResult } from './decode-result.js';
import { isEmptyId, otlpId, splitNanos, anyValueToTag } from './otlp-values.js';
import type { Annotation, Span, SpanKind } from '../tracing/index.js';
import { Rejections, SpanRejected, checkEpochUs, describeValue } from './span-rules.js';

type Json = Record<string, unknown>;

const KIND_BY_NUMBER: readonly (SpanKind | null | undefined)[] = [
  null,
  null,
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const KIND_BY_NAME: Readonly<Record<string, SpanKind | null>> = {
  SPAN_KIND_UNSPECIFIED: null,
  SPAN_KIND_INTERNAL: null,
  SPAN_KIND_SERVER: 'SERVER',
  SPAN_KIND_CLIENT: 'CLIENT',
  SPAN_KIND_PRODUCER: 'PRODUCER',
  SPAN_KIND_CONSUMER: 'CONSUMER',
};

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A repeated field: absent → empty; anything but an array is a malformed body. */
function list(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new SpanFormatError(`${field} must be an array, got ${describeValue(value)}`);
  return value;
}

/** Maps a whole export request; throws `SpanFormatError` when its structure is wrong. */
export function spansFromOtlpRequest(request: unknown, options: DecodeOptions = {}): DecodeResult {
  if (!isObject(request)) {
    const hint = Array.isArray(request)
      ? ' (a JSON array looks like Zipkin v2: POST it to /api/v2/spans)'
      : '';
    throw new SpanFormatError(
      `expected an OTLP ExportTraceServiceRequest object {"resourceSpans":[…]}${hint}`,
    );
  }
  const nowUs = options.nowUs ?? Date.now() * 1000;
  const rejections = new Rejections(options.maxErrors ?? 10);
  const spans: Span[] = [];
  let index = 0;
  const resourceSpansList = list(request.resourceSpans, 'resourceSpans');
  for (let r = 0; r < resourceSpansList.length; r++) {
    const resourceSpans = resourceSpansList[r];
    if (!isObject(resourceSpans)) throw new SpanFormatError(`resourceSpans[${r}] must be an object`);
    const serviceName = resourceServiceName(resourceSpans.resource);
    // `instrumentationLibrarySpans` is the pre-1.0 name some old exporters still send.
    const scopeSpansList = list(
      resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans,
      `resourceSpans[${r}].scopeSpans`,
    );
    for (let s = 0; s < scopeSpansList.length; s++) {
      const scopeSpans = scopeSpansList[s];
      if (!isObject(scopeSpans))
        throw new SpanFormatError(`resourceSpans[${r}].scopeSpans[${s}] must be an object`);
      const scope = scopeSpans.scope ?? scopeSpans.instrumentationLibrary;
      const scopeName =
        isObject(scope) && typeof scope.name === 'string' && scope.name !== '' ? scope.name : undefined;
      const scopeVersion =
        isObject(scope) && typeof scope.version === 'string' && scope.version !== ''
          ? scope.version
          : undefined;
      const rawSpans = list(scopeSpans.spans, `resourceSpans[${r}].scopeSpans[${s}].spans`);
      for (const raw of rawSpans) {
        try {
          if (!isObject(raw)) throw new SpanRejected(`must be an object, got ${describeValue(raw)}`);
          const span = spanFromOtlp(raw, nowUs);
          if (serviceName !== undefined) span.localEndpoint = { serviceName };
          if (scopeName !== undefined) (span.tags ??= {})['otel.scope.name'] = scopeName;
          if (scopeVersion !== undefined) (span.tags ??= {})['otel.scope.version'] = scopeVersion;
          spans.push(span);
        } catch (error) {
          if (!(error instanceof SpanRejected)) throw error;
          rejections.add(index, error);
        }
        index++;
      }
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.errors };
}

function resourceServiceName(resource: unknown): string | undefined {
  if (!isObject(resource) || !Array.isArray(resource.attributes)) return undefined;
  for (const kv of resource.attributes as unknown[]) {
    if (isObject(kv) && kv.key === 'service.name') return anyValueToTag(kv.value) || undefined;
  }
  return undefined;
}

function spanFromOtlp(raw: Json, nowUs: number): Span {
  const span: Span = { traceId: otlpId(raw.traceId, 16, 'traceId'), id: otlpId(raw.spanId, 8, 'spanId') };
  if (!isEmptyId(raw.parentSpanId)) span.parentId = otlpId(raw.parentSpanId, 8, 'parentSpanId');
  if (typeof raw.name === 'string' && raw.name !== '') span.name = raw.name;
  const kind = kindFromOtlp(raw.kind);
  if (kind) span.kind = kind;

  const start = splitNanos(raw.startTimeUnixNano, 'startTimeUnixNano');
  // A start of 0 is proto3's "unset": keep the span without timing, as Zipkin would.
  if (start.us !== 0 || start.remNs !== 0) {
    checkEpochUs(start.us, 'startTimeUnixNano', nowUs);
    span.timestamp = start.us;
    const end = splitNanos(raw.endTimeUnixNano, 'endTimeUnixNano');
    if (end.us !== 0 || end.remNs !== 0) {
      const durationNs = (end.us - start.us) * 1000 + (end.remNs - start.remNs);
      if (durationNs < 0) throw new SpanRejected('endTimeUnixNano is before startTimeUnixNano');
      // Durations under a microsecond round up: Zipkin treats 0 as "unknown".
      span.duration = Math.max(1, Math.round(durationNs / 1000));
    }
  }

  const tags = statusToTags(raw.status, attributesToTags(raw.attributes));
  if (tags !== undefined && Object.keys(tags).length > 0) span.tags = tags;

  const remote =
    tags?.['peer.service'] ??
    (kind === 'CLIENT' || kind === 'PRODUCER' ? tags?.['server.address'] : undefined) ??
    tags?.['net.peer.name'];
  if (remote !== undefined && remote !== '') span.remoteEndpoint = { serviceName: remote };

  const annotations = eventsToAnnotations(raw.events, nowUs);
  if (annotations.length > 0) span.annotations = annotations;
  return span;
}

function kindFromOtlp(value: unknown): SpanKind | null {
  if (value === undefined || value === null) return null;
  const kind =
    typeof value === 'number'
      ? KIND_BY_NUMBER[value]
      : typeof value === 'string'
        ? KIND_BY_NAME[value]
        : undefined;
  if (kind === undefined)
    throw new SpanRejected(`kind must be an integer 0-5 (SpanKind), got ${describeValue(value)}`);
  return kind;
}

function attributesToTags(attributes: unknown): Record<string, string> | undefined {
  if (!Array.isArray(attributes) || attributes.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const kv of attributes as unknown[]) {
    if (!isObject(kv) || typeof kv.key !== 'string' || kv.key === '') continue;
    const value = anyValueToTag(kv.value);
    if (value !== undefined) tags[kv.key] = value;
  }
  return tags;
}

function statusToTags(
  status: unknown,
  tags: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!isObject(status)) return tags;
  const code = status.code;
  const isError = code === 2 || code === 'STATUS_CODE_ERROR';
  const isOk = code === 1 || code === 'STATUS_CODE_OK';
  if (!isError && !isOk) return tags;
  const out = tags ?? {};
  out['otel.status_code'] = isError ? 'ERROR' : 'OK';
  if (isError)
    out.error = typeof status.message === 'string' && status.message !== '' ? status.message : 'true';
  return out;
}

function eventsToAnnotations(events: unknown, nowUs: number): Annotation[] {
  if (!Array.isArray(events) || events.length === 0) return [];
  const out: Annotation[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as unknown;
    if (!isObject(event) || typeof event.name !== 'string' || event.name === '') continue;
    const time = splitNanos(event.timeUnixNano, `events[${i}].timeUnixNano`);
    checkEpochUs(time.us, `events[${i}].timeUnixNano`, nowUs);
    out.push({ timestamp: time.us, value: event.name });
  }
  out.sort((a, b) => a.timestamp - b.timestamp);
  return out;
}
