/**
 * Pure conversion of a batch of spans to what the SQLite writer inserts: one chunk per
 * trace, one service entry per (trace, local service), and the autocomplete facts (deduped
 * within the batch). Runs wherever the batch is parsed; the writer only does I/O.
 */
import type { Span } from '../../../spans/index.js';
import { FactCollector } from '../../autocomplete.js';
import { normalizeSpan } from '../../normalize-span.js';
import { traceKey } from './sqlite-schema.js';

/** The spans of one trace from one append. */
export interface ChunkRow {
  tkey: number;
  traceId: string;
  tsMinUs: number;
  tsMaxUs: number;
  spanCount: number;
  /** JSON array of the spans without their `traceId`. */
  json: string;
}

/** The spans of one local service within one chunk. */
export interface ServiceRow {
  /** Local service name; the writer maps it to a dictionary id. */
  service: string;
  tsUs: number;
  tkey: number;
  durationMinUs: number;
  durationMaxUs: number;
}

export interface RowBatch {
  chunks: ChunkRow[];
  services: ServiceRow[];
  spanCount: number;
  /** [service, kind label, span name] */
  spanNames: [string, string, string][];
  /** [service, remote service] */
  remoteServices: [string, string][];
  /** [tag key, value] */
  tagValues: [string, string][];
}

interface TraceGroup {
  traceId: string;
  spans: Omit<Span, 'traceId'>[];
  tsMinUs: number;
  tsMaxUs: number;
  services: Map<string, ServiceRow>;
}

/** Converts spans (validated by the codecs) to rows; the input is not mutated. */
export function toRowBatch(spans: readonly Span[]): RowBatch {
  const groups = new Map<string, TraceGroup>();
  const facts = new FactCollector();
  for (const input of spans) {
    const { traceId, ...rest } = normalizeSpan(input);
    const tsUs = rest.timestamp ?? 0;
    const durationUs = rest.duration ?? 0;
    let group = groups.get(traceId);
    if (group === undefined) {
      group = { traceId, spans: [], tsMinUs: tsUs, tsMaxUs: tsUs, services: new Map() };
      groups.set(traceId, group);
    }
    group.spans.push(rest);
    if (tsUs < group.tsMinUs) group.tsMinUs = tsUs;
    if (tsUs > group.tsMaxUs) group.tsMaxUs = tsUs;
    const service = rest.localEndpoint?.serviceName ?? '';
    if (service !== '') {
      const entry = group.services.get(service);
      if (entry === undefined) {
        const tkey = traceKey(traceId);
        group.services.set(service, {
          service,
          tsUs,
          tkey,
          durationMinUs: durationUs,
          durationMaxUs: durationUs,
        });
      } else {
        if (tsUs < entry.tsUs) entry.tsUs = tsUs;
        if (durationUs < entry.durationMinUs) entry.durationMinUs = durationUs;
        if (durationUs > entry.durationMaxUs) entry.durationMaxUs = durationUs;
      }
    }
    facts.add(rest, service);
  }
  const chunks: ChunkRow[] = [];
  const services: ServiceRow[] = [];
  for (const group of groups.values()) {
    chunks.push({
      tkey: traceKey(group.traceId),
      traceId: group.traceId,
      tsMinUs: group.tsMinUs,
      tsMaxUs: group.tsMaxUs,
      spanCount: group.spans.length,
      json: JSON.stringify(group.spans),
    });
    for (const entry of group.services.values()) services.push(entry);
  }
  return {
    chunks,
    services,
    spanCount: spans.length,
    spanNames: facts.spanNames,
    remoteServices: facts.remoteServices,
    tagValues: facts.tagValues,
  };
}
