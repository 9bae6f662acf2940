/**
 * hivelab spans → OTLP JSON `TracesData` (`{resourceSpans:[…]}`), as Jaeger's v3 API
 * answers, the inverse of the ingest mapping (spans/otlp-mapping.ts): one resource per
 * local service (`service.name`), tags as string attributes (the `otel.scope.*` tags back
 * into the scope), annotations as events, the `error` tag as status ERROR, remote service
 * as `peer.service`. Ids are hex (a 64-bit trace id padded to 128 bits, as OTLP requires),
 * 64-bit integers decimal strings, kinds numbers. Pure.
 */
import type { Span } from '../../spans/index.js';

interface KeyValue {
  key: string;
  value: { stringValue: string };
}

/** An OTLP JSON span, as this module writes it. */
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: { timeUnixNano: string; name: string }[];
  status: { code: number; message?: string };
}

/** OTLP `TracesData`. */
export interface OtlpTracesData {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpJsonSpan[] }[];
  }[];
}

const KIND: Readonly<Record<string, number>> = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const DEFAULT_SCOPE = 'hivelab';

/** A 128-bit hex trace id (OTLP's width). */
export function otlpTraceId(traceId: string): string {
  return traceId.padStart(32, '0');
}

function nanos(us: number): string {
  return `${Math.round(us)}000`;
}

function kv(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function toOtlpSpan(span: Span): { span: OtlpJsonSpan; scope: string; version?: string } {
  const attributes: KeyValue[] = [];
  let scope = DEFAULT_SCOPE;
  let version: string | undefined;
  let status: OtlpJsonSpan['status'] = { code: 0 };
  for (const [key, value] of Object.entries(span.tags ?? {})) {
    if (key === 'otel.scope.name') scope = value;
    else if (key === 'otel.scope.version') version = value;
    else if (key === 'otel.status_code') continue;
    else if (key === 'error')
      status = value === '' || value === 'true' ? { code: 2 } : { code: 2, message: value };
    else attributes.push(kv(key, value));
  }
  const peer = span.remoteEndpoint?.serviceName;
  if (peer !== undefined && span.tags?.['peer.service'] === undefined)
    attributes.push(kv('peer.service', peer));
  const startUs = span.timestamp ?? 0;
  const out: OtlpJsonSpan = {
    traceId: otlpTraceId(span.traceId),
    spanId: span.id,
    name: span.name ?? '',
    kind: span.kind ? KIND[span.kind]! : 1,
    startTimeUnixNano: nanos(startUs),
    endTimeUnixNano: nanos(startUs + (span.duration ?? 0)),
    attributes,
    events: (span.annotations ?? []).map((a) => ({ timeUnixNano: nanos(a.timestamp), name: a.value })),
    status,
  };
  if (span.parentId !== undefined) out.parentSpanId = span.parentId;
  return version === undefined ? { span: out, scope } : { span: out, scope, version };
}

/** Every span of `traces` in one `TracesData`, grouped by service and scope. */
export function toOtlpTracesData(traces: readonly (readonly Span[])[]): OtlpTracesData {
  type ScopeEntry = { scope: { name: string; version?: string }; spans: OtlpJsonSpan[] };
  const byService = new Map<string, Map<string, ScopeEntry>>();
  for (const trace of traces) {
    for (const span of trace) {
      const service = span.localEndpoint?.serviceName ?? 'unknown';
      const converted = toOtlpSpan(span);
      const scopes = byService.get(service) ?? new Map<string, ScopeEntry>();
      byService.set(service, scopes);
      const scopeKey = `${converted.scope}\u0000${converted.version ?? ''}`;
      let entry = scopes.get(scopeKey);
      if (!entry) {
        const scope: { name: string; version?: string } = { name: converted.scope };
        if (converted.version !== undefined) scope.version = converted.version;
        entry = { scope, spans: [] };
        scopes.set(scopeKey, entry);
      }
      entry.spans.push(converted.span);
    }
  }
  return {
    resourceSpans: [...byService].map(([service, scopes]) => ({
      resource: { attributes: [kv('service.name', service)] },
      scopeSpans: [...scopes.values()],
    })),
  };
}
