/**
 * Spans → an OTLP/HTTP JSON `ExportTraceServiceRequest`, the reverse of the collector's
 * OTLP decoding (and of OpenTelemetry's Zipkin mapping): one resource per local service,
 * one scope per `otel.scope.name`, tags as string attributes, the `error` tag as status
 * ERROR, the remote service as `peer.service`, annotations as events. Pure.
 */
import type { Span } from '../../spans/index.js';

const KIND_NUMBER: Record<string, number> = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
/** Tags the mapping turns into other fields (status, scope), not attributes. */
const DERIVED_TAGS = new Set(['error', 'otel.status_code', 'otel.scope.name', 'otel.scope.version']);

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes: { key: string; value: { stringValue: string } }[];
  events?: { timeUnixNano: string; name: string }[];
  status?: { code: number; message?: string };
}

/** µs → ns as a decimal string (ns since the epoch exceed 2^53). */
function nanos(us: number): string {
  return us === 0 ? '0' : `${us}000`;
}

function toOtlpSpan(span: Span): OtlpSpan {
  const out: OtlpSpan = {
    traceId: span.traceId.padStart(32, '0'),
    spanId: span.id,
    name: span.name ?? '',
    kind: span.kind === undefined ? 1 : (KIND_NUMBER[span.kind] ?? 1),
    attributes: [],
  };
  if (span.parentId !== undefined) out.parentSpanId = span.parentId;
  if (span.timestamp !== undefined) {
    out.startTimeUnixNano = nanos(span.timestamp);
    if (span.duration !== undefined) out.endTimeUnixNano = nanos(span.timestamp + span.duration);
  }
  for (const [key, value] of Object.entries(span.tags ?? {})) {
    if (!DERIVED_TAGS.has(key)) out.attributes.push({ key, value: { stringValue: value } });
  }
  const remote = span.remoteEndpoint?.serviceName;
  if (remote !== undefined && span.tags?.['peer.service'] === undefined) {
    out.attributes.push({ key: 'peer.service', value: { stringValue: remote } });
  }
  const error = span.tags?.error;
  if (error !== undefined) {
    out.status = error === '' || error === 'true' ? { code: 2 } : { code: 2, message: error };
  } else if (span.tags?.['otel.status_code'] === 'OK') {
    out.status = { code: 1 };
  }
  if (span.annotations !== undefined && span.annotations.length > 0) {
    out.events = span.annotations.map((a) => ({ timeUnixNano: nanos(a.timestamp), name: a.value }));
  }
  return out;
}

/** The request body for `POST /v1/traces` (`application/json`). */
export function encodeOtlpJson(spans: readonly Span[]): string {
  /** service → scope key → spans */
  const byService = new Map<string, Map<string, { name?: string; version?: string; spans: OtlpSpan[] }>>();
  for (const span of spans) {
    const service = span.localEndpoint?.serviceName ?? '';
    let scopes = byService.get(service);
    if (scopes === undefined) {
      scopes = new Map();
      byService.set(service, scopes);
    }
    const name = span.tags?.['otel.scope.name'];
    const version = span.tags?.['otel.scope.version'];
    const key = `${name ?? ''}\u0000${version ?? ''}`;
    let scope = scopes.get(key);
    if (scope === undefined) {
      scope = {
        ...(name !== undefined ? { name } : {}),
        ...(version !== undefined ? { version } : {}),
        spans: [],
      };
      scopes.set(key, scope);
    }
    scope.spans.push(toOtlpSpan(span));
  }
  const resourceSpans = [...byService].map(([service, scopes]) => ({
    resource: {
      attributes: service === '' ? [] : [{ key: 'service.name', value: { stringValue: service } }],
    },
    scopeSpans: [...scopes.values()].map(({ spans: scoped, ...scope }) => ({ scope, spans: scoped })),
  }));
  return JSON.stringify({ resourceSpans });
}
