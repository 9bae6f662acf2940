/**
 * Pure: a {@link SidecarStream} → Zipkin spans: one SERVER span for the stream (service =
 * the sidecar's workload) and one local child span per stage, tagged
 * `sidecar.stage=<stage>`. Ids are derived from the stream's key, so importing the same
 * log twice gives the same spans (the collector merges them instead of doubling them).
 */
import { createHash } from 'node:crypto';
import type { Span } from '../../spans/index.js';
import { SIDECAR_STAGES, type SidecarStream } from './sidecar-stream.js';

/** Where a stream's span goes: its trace, its own id, its parent. */
export interface StreamPlacement {
  traceId: string;
  id: string;
  parentId?: string;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Pure: the trace id of a trace keyed by `x-request-id`: a UUID's own 128 bits (so the id
 * is recognisable), anything else hashed.
 */
export function requestIdTraceId(requestId: string): string {
  if (UUID.test(requestId)) {
    const hex = requestId.replace(/-/g, '').toLowerCase();
    if (!/^0+$/.test(hex)) return hex;
  }
  return sha1Hex(`x-request-id:${requestId}`).slice(0, 32);
}

/** Pure: the span id a stream gets when Envoy's own tracer did not give it one. */
export function streamSpanId(stream: SidecarStream): string {
  return sha1Hex(stream.key).slice(0, 14) + '00';
}

/**
 * Pure: the placement a stream takes alone: under its trace context, else in the trace
 * of its `x-request-id` (as a root, unless `parentId` is given), else in a trace of its own.
 */
export function placeStream(stream: SidecarStream, parentId?: string): StreamPlacement {
  if (stream.trace !== undefined) {
    const placement: StreamPlacement = {
      traceId: stream.trace.traceId,
      id: stream.trace.spanId ?? streamSpanId(stream),
    };
    if (stream.trace.parentId !== undefined) placement.parentId = stream.trace.parentId;
    return placement;
  }
  const traceId =
    stream.requestId !== undefined ? requestIdTraceId(stream.requestId) : sha1Hex(stream.key).slice(0, 32);
  const placement: StreamPlacement = { traceId, id: streamSpanId(stream) };
  if (parentId !== undefined) placement.parentId = parentId;
  return placement;
}

function streamTags(stream: SidecarStream): Record<string, string> {
  const tags: Record<string, string> = { 'sidecar.origin': stream.origin, 'sidecar.source': stream.source };
  if (stream.requestId !== undefined) tags['guid:x-request-id'] = stream.requestId;
  if (stream.method !== undefined) tags['http.method'] = stream.method;
  if (stream.path !== undefined) tags['http.path'] = stream.path;
  if (stream.authority !== undefined) tags['http.host'] = stream.authority;
  if (stream.statusCode !== undefined) {
    tags['http.status_code'] = stream.statusCode;
    if (Number(stream.statusCode) >= 500) tags.error = stream.statusCode;
  }
  if (stream.upstreamCluster !== undefined) tags.upstream_cluster = stream.upstreamCluster;
  if (stream.connectionId !== undefined) tags['sidecar.connection_id'] = stream.connectionId;
  if (stream.streamId !== undefined) tags['sidecar.stream_id'] = stream.streamId;
  if (stream.incomplete === true) tags['sidecar.incomplete'] = 'true';
  return { ...tags, ...stream.tags };
}

function spanName(stream: SidecarStream): string {
  if (stream.method === undefined && stream.path === undefined) return 'sidecar';
  const path = stream.path?.split('?')[0] ?? '';
  return `${stream.method ?? ''} ${path}`.trim();
}

/** Pure: the stream's span and its stage spans, at `placement`. Durations are at least 1 µs. */
export function sidecarStreamSpans(stream: SidecarStream, placement: StreamPlacement): Span[] {
  const localEndpoint = { serviceName: stream.service };
  const root: Span = {
    traceId: placement.traceId,
    id: placement.id,
    name: spanName(stream),
    kind: 'SERVER',
    timestamp: stream.startUs,
    duration: Math.max(1, stream.endUs - stream.startUs),
    localEndpoint,
    tags: streamTags(stream),
  };
  if (placement.parentId !== undefined) root.parentId = placement.parentId;
  const spans = [root];
  const childBase = sha1Hex(`${stream.key}#stages`).slice(0, 14);
  for (const stage of stream.stages) {
    const index = SIDECAR_STAGES.indexOf(stage.stage) + 1;
    spans.push({
      traceId: placement.traceId,
      id: childBase + index.toString(16).padStart(2, '0'),
      parentId: placement.id,
      name: stage.stage,
      timestamp: stage.startUs,
      duration: Math.max(1, stage.endUs - stage.startUs),
      localEndpoint,
      tags: { 'sidecar.stage': stage.stage },
    });
  }
  return spans;
}

/**
 * Pure: parents within the streams of one `x-request-id` (both sidecars of a call, client
 * side and server side, with no trace context): by start time, each stream goes under the
 * latest-starting earlier stream that still runs when it starts, else under the first.
 * Returns the parent key of every stream but the first.
 */
export function linkRequestStreams(streams: readonly SidecarStream[]): Map<string, string> {
  const sorted = [...streams].sort((a, b) => a.startUs - b.startUs || a.key.localeCompare(b.key));
  const parents = new Map<string, string>();
  const first = sorted[0];
  if (first === undefined) return parents;
  for (let i = 1; i < sorted.length; i++) {
    const child = sorted[i]!;
    let parent = first;
    for (let j = i - 1; j >= 0; j--) {
      const candidate = sorted[j]!;
      if (candidate.endUs >= child.startUs) {
        parent = candidate;
        break;
      }
    }
    parents.set(child.key, parent.key);
  }
  return parents;
}
