/**
 * Spans → one trace in the Jaeger query API's JSON shape (`/api/traces/{id}` data item), as
 * the Jaeger UI and seed 004's scripts read it. Pure; never mutates its input.
 *
 * Mapping (as Jaeger's own Zipkin converter does): `kind` → tag `span.kind`; `remoteEndpoint`
 * → tags `peer.service`, `peer.ipv4`, `peer.ipv6`, `peer.port`; tag `error` → bool `error`
 * (its text, when not just "true", kept as `error.message`); annotations → logs with an
 * `event` field; `localEndpoint` → a process (`p1`, `p2`… in order of appearance). Zipkin's
 * shared client/server span ids get a fresh id for the server half, as Jaeger's
 * SpanIDDeduper does, so that the UI sees a tree.
 */
import type { Endpoint, Span } from '../tracing/index.js';

export interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64';
  value: string | boolean | number;
}

export interface JaegerLog {
  /** Epoch microseconds. */
  timestamp: number;
  fields: JaegerTag[];
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: JaegerReference[];
  /** Epoch microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

function stringTag(key: string, value: string): JaegerTag {
  return { key, type: 'string', value };
}

function processOf(endpoint: Endpoint | undefined): JaegerProcess {
  const tags: JaegerTag[] = [];
  if (endpoint?.ipv4 !== undefined) tags.push(stringTag('ip', endpoint.ipv4));
  if (endpoint?.ipv6 !== undefined) tags.push(stringTag('ipv6', endpoint.ipv6));
  return { serviceName: endpoint?.serviceName ?? 'unknown', tags };
}

/** New ids for server halves of shared spans: old id → new id, per span index. */
function dedupeSharedIds(spans: readonly Span[]): Map<number, string> {
  const seen = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) if (!seen.has(spans[i]!.id)) seen.set(spans[i]!.id, 0);
  const used = new Set(seen.keys());
  const renamed = new Map<number, string>();
  const count = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) {
    const id = spans[i]!.id;
    const n = (count.get(id) ?? 0) + 1;
    count.set(id, n);
    if (n === 1) continue;
    // A duplicate id: derive a fresh, unused one deterministically.
    let candidate = BigInt(`0x${id}`);
    let fresh: string;
    do {
      candidate = (candidate + 1n) & 0xffffffffffffffffn;
      fresh = candidate.toString(16).padStart(16, '0');
    } while (used.has(fresh) || candidate === 0n);
    used.add(fresh);
    renamed.set(i, fresh);
  }
  return renamed;
}

/** Builds the Jaeger trace for the spans of one trace (any order). */
export function toJaegerTrace(spans: readonly Span[]): JaegerTrace {
  // Shared (server) halves last, so that when an id repeats the server half is renamed.
  // The sort is stable: other spans keep their order.
  const order = [...spans].sort((a, b) => (a.shared ? 1 : 0) - (b.shared ? 1 : 0));
  const renamed = dedupeSharedIds(order);
  /** Old shared id → the server half's new id: children of a shared span belong to the server. */
  const serverIdOf = new Map<string, string>();
  for (const [i, fresh] of renamed) serverIdOf.set(order[i]!.id, fresh);

  const processes: Record<string, JaegerProcess> = {};
  const processIdByKey = new Map<string, string>();
  const traceID = order[0]?.traceId ?? '';
  const out: JaegerSpan[] = order.map((span, i) => {
    const process = processOf(span.localEndpoint);
    const key = JSON.stringify(process);
    let processID = processIdByKey.get(key);
    if (processID === undefined) {
      processID = `p${processIdByKey.size + 1}`;
      processIdByKey.set(key, processID);
      processes[processID] = process;
    }
    const ownId = renamed.get(i);
    const spanID = ownId ?? span.id;
    // The renamed server half is a child of the client half; other children of the shared
    // id are children of the server half.
    const parent =
      ownId !== undefined
        ? span.id
        : span.parentId !== undefined
          ? (serverIdOf.get(span.parentId) ?? span.parentId)
          : undefined;
    return {
      traceID: span.traceId,
      spanID,
      flags: span.debug ? 2 : 1,
      operationName: span.name ?? '',
      references:
        parent === undefined ? [] : [{ refType: 'CHILD_OF', traceID: span.traceId, spanID: parent }],
      startTime: span.timestamp ?? 0,
      duration: span.duration ?? 0,
      tags: tagsOf(span),
      logs: (span.annotations ?? []).map((a) => ({
        timestamp: a.timestamp,
        fields: [stringTag('event', a.value)],
      })),
      processID,
      warnings: null,
    };
  });
  return { traceID, spans: out, processes, warnings: null };
}

function tagsOf(span: Span): JaegerTag[] {
  const tags: JaegerTag[] = [];
  if (span.kind !== undefined) tags.push(stringTag('span.kind', span.kind.toLowerCase()));
  const remote = span.remoteEndpoint;
  // A span that also carries the tag itself (OTLP's peer.service) lists it once: the tag's value.
  const own = span.tags ?? {};
  if (remote?.serviceName !== undefined && own['peer.service'] === undefined) {
    tags.push(stringTag('peer.service', remote.serviceName));
  }
  if (remote?.ipv4 !== undefined && own['peer.ipv4'] === undefined)
    tags.push(stringTag('peer.ipv4', remote.ipv4));
  if (remote?.ipv6 !== undefined && own['peer.ipv6'] === undefined)
    tags.push(stringTag('peer.ipv6', remote.ipv6));
  if (remote?.port !== undefined && own['peer.port'] === undefined) {
    tags.push({ key: 'peer.port', type: 'int64', value: remote.port });
  }
  for (const [key, value] of Object.entries(span.tags ?? {})) {
    if (key === 'error') {
      tags.push({ key: 'error', type: 'bool', value: true });
      if (value !== '' && value !== 'true') tags.push(stringTag('error.message', value));
    } else {
      tags.push(stringTag(key, value));
    }
  }
  return tags;
}
