/**
 * Pure conversion of a batch of spans to what the PostgreSQL writer sends: the `spans`
 * rows as COPY text, the partitions they fall in with their span counts, and the
 * autocomplete facts (deduped within the batch).
 */
import type { Span } from '../../../spans/index.js';
import { kindLabel, MAX_AUTOCOMPLETE_VALUE_LENGTH } from '../../autocomplete.js';
import { normalizeSpan } from '../../normalize-span.js';
import { partitionStart } from './postgres-schema.js';

export interface PgRowBatch {
  /** COPY text-format lines (each ending in a newline) for `spans`. */
  copyText: string;
  spanCount: number;
  /** Trace id (hex) → earliest span start (µs) in this batch: the traces to mark for summaries. */
  traces: Map<string, number>;
  /** Partition start (µs) → spans of this batch in it. */
  partitions: Map<number, number>;
  services: string[];
  /** [service, kind label, span name] */
  spanNames: [string, string, string][];
  /** [service, remote service] */
  remoteServices: [string, string][];
  /** [tag key, value] */
  tagValues: [string, string][];
}

/** PostgreSQL text cannot hold NUL; COPY text needs backslash, tab, newline and CR escaped. */
export function copyEscape(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\\\t\n\r\u0000]/.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\\\t\n\r\u0000]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '',
  );
}

/** Strips NUL, which PostgreSQL text columns refuse (dictionary values are sent as parameters). */
export function withoutNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

class Facts {
  readonly #seen = new Set<string>();
  readonly services: string[] = [];
  readonly spanNames: [string, string, string][] = [];
  readonly remoteServices: [string, string][] = [];
  readonly tagValues: [string, string][] = [];

  #first(key: string): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }

  add(span: Span, service: string): void {
    if (service !== '') {
      if (this.#first(`s\u0000${service}`)) this.services.push(service);
      if (span.name !== undefined) {
        const kind = kindLabel(span.kind);
        if (this.#first(`n\u0000${service}\u0000${kind}\u0000${span.name}`)) {
          this.spanNames.push([service, kind, withoutNul(span.name)]);
        }
      }
      const remote = span.remoteEndpoint?.serviceName;
      if (remote !== undefined && this.#first(`r\u0000${service}\u0000${remote}`)) {
        this.remoteServices.push([service, withoutNul(remote)]);
      }
    }
    if (span.tags === undefined) return;
    for (const key in span.tags) {
      const value = span.tags[key] as string;
      if (value.length > MAX_AUTOCOMPLETE_VALUE_LENGTH) continue;
      if (this.#first(`t\u0000${key}\u0000${value}`))
        this.tagValues.push([withoutNul(key), withoutNul(value)]);
    }
  }
}

/** Converts spans (validated by the codecs) to rows; the input is not mutated. */
export function toPgRowBatch(spans: readonly Span[], partitionUs: number): PgRowBatch {
  const facts = new Facts();
  const partitions = new Map<number, number>();
  const traces = new Map<string, number>();
  let copyText = '';
  for (const input of spans) {
    const { traceId, ...rest } = normalizeSpan(input);
    const tsUs = rest.timestamp ?? 0;
    const service = withoutNul(rest.localEndpoint?.serviceName ?? '');
    const start = partitionStart(tsUs, partitionUs);
    partitions.set(start, (partitions.get(start) ?? 0) + 1);
    const earliest = traces.get(traceId);
    if (earliest === undefined || tsUs < earliest) traces.set(traceId, tsUs);
    const duration = rest.duration === undefined ? '\\N' : String(rest.duration);
    copyText += `\\\\x${traceId}\t${tsUs}\t${duration}\t${copyEscape(service)}\t${copyEscape(JSON.stringify(rest))}\n`;
    facts.add(rest as Span, service);
  }
  return {
    copyText,
    spanCount: spans.length,
    traces,
    partitions,
    services: facts.services,
    spanNames: facts.spanNames,
    remoteServices: facts.remoteServices,
    tagValues: facts.tagValues,
  };
}
