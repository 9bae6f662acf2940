/**
 * Pure conversion of a batch of spans to what the SQLite writer inserts: one chunk per
 * trace, one service entry per (trace, local service), and the autocomplete facts (deduped
 * within the batch). Runs wherever the batch is parsed; the writer only does I/O.
 */
import type { Span } from '../../../spans/index.js';
import { kindLabel, MAX_AUTOCOMPLETE_VALUE_LENGTH } from '../../autocomplete.js';
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

/**
 * Set membership of (a, b) pairs through nested maps: no combined key string is built per
 * lookup (concatenating and hashing one per tag per span cost ~7 % of the collector's CPU).
 */
class PairSet {
  readonly #byFirst = new Map<string, Set<string>>();

  /** Adds the pair; true when it was new. */
  add(a: string, b: string): boolean {
    let seconds = this.#byFirst.get(a);
    if (seconds === undefined) {
      seconds = new Set();
      this.#byFirst.set(a, seconds);
    }
    if (seconds.has(b)) return false;
    seconds.add(b);
    return true;
  }
}

class FactCollector {
  /** service → kind label → span names seen. */
  readonly #names = new Map<string, PairSet>();
  readonly #remotes = new PairSet();
  readonly #tags = new PairSet();
  readonly spanNames: [string, string, string][] = [];
  readonly remoteServices: [string, string][] = [];
  readonly tagValues: [string, string][] = [];

  add(span: Omit<Span, 'traceId'>, service: string): void {
    if (service !== '') {
      if (span.name !== undefined) {
        const kind = kindLabel(span.kind);
        let names = this.#names.get(service);
        if (names === undefined) {
          names = new PairSet();
          this.#names.set(service, names);
        }
        if (names.add(kind, span.name)) this.spanNames.push([service, kind, span.name]);
      }
      const remote = span.remoteEndpoint?.serviceName;
      if (remote !== undefined && this.#remotes.add(service, remote)) {
        this.remoteServices.push([service, remote]);
      }
    }
    if (span.tags === undefined) return;
    for (const tag in span.tags) {
      const value = span.tags[tag] as string;
      if (value.length > MAX_AUTOCOMPLETE_VALUE_LENGTH) continue;
      if (this.#tags.add(tag, value)) this.tagValues.push([tag, value]);
    }
  }
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
