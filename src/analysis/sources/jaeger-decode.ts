/**
 * Jaeger query JSON (a trace of `/api/traces`' `data`) → canonical spans, the inverse of
 * `spans/jaeger-trace.ts` as far as the analysis needs: the process is the local service,
 * tag `span.kind` the kind, `peer.service` the remote service, the first CHILD_OF reference
 * the parent (a FOLLOWS_FROM-only span gets that parent and the tag
 * `jaeger.ref_type=FOLLOWS_FROM`, so its subtree does not block the parent), logs become
 * annotations, every tag value a string. Names are lower-cased as Zipkin stores them.
 * Pure; a span without ids or times is skipped and counted.
 */
import type { Annotation, Span, SpanKind } from '../../spans/index.js';
import { FOLLOWS_FROM_TAG, FOLLOWS_FROM_VALUE } from '../trace/trace-tree.js';

interface RawTag {
  key?: unknown;
  value?: unknown;
}
interface RawSpan {
  traceID?: unknown;
  spanID?: unknown;
  operationName?: unknown;
  references?: { refType?: unknown; spanID?: unknown }[];
  startTime?: unknown;
  duration?: unknown;
  tags?: RawTag[];
  logs?: { timestamp?: unknown; fields?: RawTag[] }[];
  processID?: unknown;
}
interface RawTrace {
  spans?: RawSpan[];
  processes?: Record<string, { serviceName?: unknown }>;
}

const KINDS: Readonly<Record<string, SpanKind>> = {
  client: 'CLIENT',
  server: 'SERVER',
  producer: 'PRODUCER',
  consumer: 'CONSUMER',
};

const HEX = /^[0-9a-f]+$/;

function hexId(raw: unknown, length: 16 | 32): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const id = raw.toLowerCase();
  if (!HEX.test(id) || id.length > length) return undefined;
  if (length === 32 && id.length > 16) {
    const padded = id.padStart(32, '0');
    return padded.startsWith('0000000000000000') ? padded.slice(16) : padded;
  }
  return id.padStart(16, '0');
}

function tagText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The spans of one Jaeger trace, and how many were skipped. */
export function spansFromJaegerTrace(trace: unknown): { spans: Span[]; skipped: number } {
  const raw = (trace ?? {}) as RawTrace;
  const spans: Span[] = [];
  let skipped = 0;
  for (const item of raw.spans ?? []) {
    const traceId = hexId(item.traceID, 32);
    const id = hexId(item.spanID, 16);
    if (traceId === undefined || id === undefined || typeof item.startTime !== 'number') {
      skipped += 1;
      continue;
    }
    const tags: Record<string, string> = {};
    let kind: SpanKind | undefined;
    let remote: string | undefined;
    for (const tag of item.tags ?? []) {
      if (typeof tag.key !== 'string') continue;
      const value = tagText(tag.value);
      if (tag.key === 'span.kind') kind = KINDS[value.toLowerCase()];
      else if (tag.key === 'peer.service') remote = value.toLowerCase();
      else if (tag.key === 'error' && value === 'false') continue;
      else tags[tag.key] = value;
    }
    const references = item.references ?? [];
    const childOf = references.find((r) => r.refType === 'CHILD_OF');
    const followsFrom = references.find((r) => r.refType === 'FOLLOWS_FROM');
    const parentId = hexId((childOf ?? followsFrom)?.spanID, 16);
    if (childOf === undefined && followsFrom !== undefined) tags[FOLLOWS_FROM_TAG] = FOLLOWS_FROM_VALUE;
    const annotations: Annotation[] = [];
    for (const log of item.logs ?? []) {
      if (typeof log.timestamp !== 'number') continue;
      const fields = log.fields ?? [];
      const event = fields.find((f) => f.key === 'event') ?? fields[0];
      if (event !== undefined) annotations.push({ timestamp: log.timestamp, value: tagText(event.value) });
    }
    const process = typeof item.processID === 'string' ? raw.processes?.[item.processID] : undefined;
    const service = typeof process?.serviceName === 'string' ? process.serviceName.toLowerCase() : undefined;
    const span: Span = {
      traceId,
      id,
      ...(parentId !== undefined && parentId !== id ? { parentId } : {}),
      name: typeof item.operationName === 'string' ? item.operationName.toLowerCase() : '',
      ...(kind !== undefined ? { kind } : {}),
      timestamp: Math.round(item.startTime),
      duration: typeof item.duration === 'number' ? Math.max(0, Math.round(item.duration)) : 0,
      ...(service !== undefined ? { localEndpoint: { serviceName: service } } : {}),
      ...(remote !== undefined ? { remoteEndpoint: { serviceName: remote } } : {}),
      ...(annotations.length > 0
        ? { annotations: annotations.sort((a, b) => a.timestamp - b.timestamp) }
        : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    };
    spans.push(span);
  }
  return { spans, skipped };
}
