/**
 * Pure conversion of a batch of spans to what the PostgreSQL writer sends: the `spans`
 * rows as columns (sent as COPY text or as the parameters of one statement, see
 * `postgres-writer.ts`), one row per span group (the spans of one trace and one local
 * service in the batch, see `postgres-schema.ts`), the partitions they fall in with their
 * span counts, and the autocomplete facts (deduped within the batch).
 */
import type { Span } from '../../../spans/index.js';
import { FactCollector } from '../../autocomplete.js';
import { normalizeSpan } from '../../normalize-span.js';
import { partitionStart } from './postgres-schema.js';

export interface PgRowBatch {
  /**
   * Per row, in order: trace id (hex), earliest and latest start (µs), longest duration (µs,
   * null when no span has one), local service, doc (the group's spans), spans in it.
   */
  traceIds: string[];
  timestamps: number[];
  latestTimestamps: number[];
  durations: (number | null)[];
  spanServices: string[];
  /** JSON array of the group's spans without their trace id (a column of its own). */
  docs: string[];
  spanCounts: number[];
  rowCount: number;
  spanCount: number;
  /** Trace id (hex) → earliest span start (µs) in this batch: the traces to mark for summaries. */
  traces: Map<string, number>;
  /** Partition start (µs) → spans of this batch in it (by their row's partition). */
  partitions: Map<number, number>;
  services: string[];
  /** [service, kind label, span name] */
  spanNames: [string, string, string][];
  /** [service, remote service] */
  remoteServices: [string, string][];
  /** [tag key, value] */
  tagValues: [string, string][];
}

/**
 * Separates docs in one text parameter (split by `string_to_array` in the database): the
 * record separator, which JSON text never holds raw (it escapes every control character).
 * One long string is far cheaper to send than a text[] of JSON, whose every quote the array
 * syntax would escape.
 */
export const DOC_SEPARATOR = '\u001e';

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

/**
 * The span as a `doc` array holds it: its JSON without the trace id (a column of its own).
 * Spans nearly always carry `traceId` as their first key (the codecs build them so), so the
 * whole span is serialised and the key cut off the front, sparing a copy of every span
 * without it; any other order takes the copy. What is returned lacks the opening brace,
 * which the caller writes (one string fewer per span).
 */
function docTailOf(span: Span): string {
  const json = JSON.stringify(span);
  const idEnd = 12 + span.traceId.length; // after `{"traceId":"` and the (hex) id
  if (
    json.startsWith('{"traceId":"') &&
    json.charCodeAt(idEnd) === 0x22 &&
    json.charCodeAt(idEnd + 1) === 0x2c
  ) {
    return json.slice(idEnd + 2);
  }
  const { traceId: _, ...rest } = span;
  return JSON.stringify(rest).slice(1);
}

/** The spans of one row while the batch is grouped. */
interface SpanGroup {
  traceId: string;
  service: string;
  tsUs: number;
  tsMaxUs: number;
  durationUs: number | null;
  docTails: string[];
}

/** The spans of one row: the doc column's JSON array, or one span (rows before version 5). */
export function spansOfDoc(traceId: string, doc: string): Span[] {
  const parsed = JSON.parse(doc) as Span | Span[];
  const spans = Array.isArray(parsed) ? parsed : [parsed];
  for (const span of spans) span.traceId = traceId;
  return spans;
}

/** COPY text escapes backslashes; JSON text holds no raw tab, newline, CR (or NUL). */
function copyEscapeJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/**
 * A byte buffer grown by doubling: the batch's COPY data is written into it line by line,
 * not concatenated into one long string first (flattening and encoding that string cost
 * as much as building it).
 */
class ByteSink {
  #buffer: Buffer;
  #length = 0;

  constructor(initialBytes: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(initialBytes, 1024));
  }

  write(text: string): void {
    const worst = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (this.#buffer.length - this.#length < worst) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + worst));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    this.#length += this.#buffer.write(text, this.#length);
  }

  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }
}

/** The batches' rows as COPY text-format lines, UTF-8, one buffer per batch. */
export function copyDataOf(batches: readonly PgRowBatch[]): Buffer[] {
  return batches.map((batch) => {
    const copy = new ByteSink(batch.spanCount * 512);
    for (let i = 0; i < batch.rowCount; i++) {
      const duration = batch.durations[i];
      copy.write(
        `\\\\x${batch.traceIds[i]}\t${batch.timestamps[i]}\t${batch.latestTimestamps[i]}\t` +
          `${duration === null ? '\\N' : duration}\t` +
          `${copyEscape(batch.spanServices[i]!)}\t${copyEscapeJson(batch.docs[i]!)}\t${batch.spanCounts[i]}\n`,
      );
    }
    return copy.bytes();
  });
}

/** Converts spans (validated by the codecs) to rows; the input is not mutated. */
export function toPgRowBatch(spans: readonly Span[], partitionUs: number): PgRowBatch {
  const facts = new FactCollector();
  const traces = new Map<string, number>();
  const groups = new Map<string, SpanGroup>();
  for (const input of spans) {
    const span = normalizeSpan(input);
    const traceId = span.traceId;
    const tsUs = span.timestamp ?? 0;
    const durationUs = span.duration ?? null;
    const service = withoutNul(span.localEndpoint?.serviceName ?? '');
    const earliest = traces.get(traceId);
    if (earliest === undefined || tsUs < earliest) traces.set(traceId, tsUs);
    const key = `${traceId}\u0000${service}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { traceId, service, tsUs, tsMaxUs: tsUs, durationUs, docTails: [docTailOf(span)] });
    } else {
      if (tsUs < group.tsUs) group.tsUs = tsUs;
      if (tsUs > group.tsMaxUs) group.tsMaxUs = tsUs;
      if (durationUs !== null && (group.durationUs === null || durationUs > group.durationUs)) {
        group.durationUs = durationUs;
      }
      group.docTails.push(docTailOf(span));
    }
    facts.add(span, service);
  }
  const partitions = new Map<number, number>();
  const traceIds: string[] = [];
  const timestamps: number[] = [];
  const latestTimestamps: number[] = [];
  const durations: (number | null)[] = [];
  const spanServices: string[] = [];
  const docs: string[] = [];
  const spanCounts: number[] = [];
  for (const group of groups.values()) {
    const start = partitionStart(group.tsUs, partitionUs);
    partitions.set(start, (partitions.get(start) ?? 0) + group.docTails.length);
    traceIds.push(group.traceId);
    timestamps.push(group.tsUs);
    latestTimestamps.push(group.tsMaxUs);
    durations.push(group.durationUs);
    spanServices.push(group.service);
    docs.push(`[{${group.docTails.join(',{')}]`);
    spanCounts.push(group.docTails.length);
  }
  return {
    traceIds,
    timestamps,
    latestTimestamps,
    durations,
    spanServices,
    docs,
    spanCounts,
    rowCount: groups.size,
    spanCount: spans.length,
    traces,
    partitions,
    // PostgreSQL text refuses NUL: dictionary values lose theirs (after the dedupe, so
    // only each distinct fact pays for the check).
    services: facts.services,
    spanNames: facts.spanNames.map(([s, k, n]) => [s, k, withoutNul(n)]),
    remoteServices: facts.remoteServices.map(([s, r]) => [s, withoutNul(r)]),
    tagValues: facts.tagValues.map(([k, v]) => [withoutNul(k), withoutNul(v)]),
  };
}
