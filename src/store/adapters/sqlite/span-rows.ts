/**
 * Pure conversion of a batch of spans to what the SQLite writer inserts: one row per span
 * and one summary per trace key (so `traces` gets one upsert per trace, not per span), plus
 * the autocomplete facts. Runs wherever the batch is parsed; the writer only does I/O.
 */
import type { Span } from '../../../spans/span.js';
import { kindLabel, MAX_AUTOCOMPLETE_VALUE_LENGTH } from '../../autocomplete.js';
import { normalizeSpan } from '../../normalize-span.js';
import { traceKey } from './sqlite-schema.js';

export interface SpanRow {
  tkey: number;
  /** Local service name ('' when none); the writer maps it to a dictionary id. */
  service: string;
  tsUs: number;
  durationUs: number;
  json: string;
}

export interface TraceSummary {
  tkey: number;
  tsMinUs: number;
  tsMaxUs: number;
  spanCount: number;
}

export interface RowBatch {
  rows: SpanRow[];
  traces: TraceSummary[];
  /** [service, kind label, span name] */
  spanNames: [string, string, string][];
  /** [service, remote service] */
  remoteServices: [string, string][];
  /** [tag key, value] */
  tagValues: [string, string][];
}

/** Converts spans (validated by the codecs) to rows; the input is not mutated. */
export function toRowBatch(spans: readonly Span[]): RowBatch {
  const rows: SpanRow[] = [];
  const traces = new Map<number, TraceSummary>();
  const spanNames: [string, string, string][] = [];
  const remoteServices: [string, string][] = [];
  const tagValues: [string, string][] = [];
  for (const input of spans) {
    const span = normalizeSpan(input);
    const tkey = traceKey(span.traceId);
    const tsUs = span.timestamp ?? 0;
    const service = span.localEndpoint?.serviceName ?? '';
    rows.push({ tkey, service, tsUs, durationUs: span.duration ?? 0, json: JSON.stringify(span) });
    const summary = traces.get(tkey);
    if (summary === undefined) traces.set(tkey, { tkey, tsMinUs: tsUs, tsMaxUs: tsUs, spanCount: 1 });
    else {
      summary.tsMinUs = Math.min(summary.tsMinUs, tsUs);
      summary.tsMaxUs = Math.max(summary.tsMaxUs, tsUs);
      summary.spanCount += 1;
    }
    if (service !== '') {
      if (span.name !== undefined) spanNames.push([service, kindLabel(span.kind), span.name]);
      const remote = span.remoteEndpoint?.serviceName;
      if (remote !== undefined) remoteServices.push([service, remote]);
    }
    if (span.tags !== undefined) {
      for (const key in span.tags) {
        const value = span.tags[key] as string;
        if (value.length <= MAX_AUTOCOMPLETE_VALUE_LENGTH) tagValues.push([key, value]);
      }
    }
  }
  return { rows, traces: [...traces.values()], spanNames, remoteServices, tagValues };
}
