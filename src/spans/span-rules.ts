/**
 * The validation rules every decoder applies to one span (issue 2). A failing rule throws
 * `SpanRejected`; the decoder counts the span as rejected and keeps the others.
 */
import { normalizeSpanId, normalizeTraceId } from '../tracing/index.js';

/** Epoch microseconds of 2000-01-01T00:00:00Z: anything earlier is a unit mistake. */
export const MIN_EPOCH_US = 946_684_800_000_000;
/** Timestamps up to one day ahead of the collector's clock are tolerated (clock skew). */
export const MAX_FUTURE_US = 86_400_000_000;

/** One span broke a rule; `message` names the field and the expected form. */
export class SpanRejected extends Error {
  override readonly name = 'SpanRejected';
}

/** A short, quoted rendering of a bad value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A required trace id (16 or 32 hex, not all zeros), normalized. */
export function requireTraceId(value: unknown, field: string): string {
  const id = typeof value === 'string' ? normalizeTraceId(value) : undefined;
  if (id === undefined) {
    throw new SpanRejected(
      `${field} must be 16 or 32 hex characters, not all zeros, got ${describeValue(value)}`,
    );
  }
  return id;
}

/** A required span id (16 hex, not all zeros), lower-cased. */
export function requireSpanId(value: unknown, field: string): string {
  const id = typeof value === 'string' ? normalizeSpanId(value) : undefined;
  if (id === undefined) {
    throw new SpanRejected(`${field} must be 16 hex characters, not all zeros, got ${describeValue(value)}`);
  }
  return id;
}

/** A non-negative integer from a JSON number or decimal string (rounded); `undefined` if not one. */
function toNonNegativeInteger(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length > 0 && value.length < 20) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Number.isInteger(n) ? n : Math.round(n);
}

/**
 * An optional epoch-microsecond timestamp. Absent, null and 0 mean "absent" (Zipkin's rule);
 * negative, non-numeric, before 2000 or more than a day after `nowUs` reject the span.
 */
export function optionalEpochUs(value: unknown, field: string, nowUs: number): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  const n = toNonNegativeInteger(value);
  if (n === undefined) {
    throw new SpanRejected(
      `${field} must be epoch microseconds (a non-negative integer), got ${describeValue(value)}`,
    );
  }
  checkEpochUs(n, field, nowUs);
  return n === 0 ? undefined : n;
}

/** Rejects an epoch-microsecond value outside [2000-01-01, now + 1 day]. */
export function checkEpochUs(n: number, field: string, nowUs: number): void {
  if (n < MIN_EPOCH_US) {
    throw new SpanRejected(
      `${field} must be epoch microseconds after 2000-01-01, got ${n} (${new Date(n / 1000).toISOString()}?)`,
    );
  }
  if (n > nowUs + MAX_FUTURE_US) {
    throw new SpanRejected(`${field} is more than a day in the future: ${n} µs`);
  }
}

/** An optional duration in microseconds; absent, null and 0 mean "absent". */
export function optionalDurationUs(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  const n = toNonNegativeInteger(value);
  if (n === undefined) {
    throw new SpanRejected(
      `${field} must be microseconds (a non-negative integer), got ${describeValue(value)}`,
    );
  }
  // Zipkin rounds durations below one microsecond up rather than dropping them.
  return n === 0 ? 1 : n;
}

/** Collects rejection reasons up to a cap. */
export class Rejections {
  count = 0;
  readonly errors: string[] = [];
  constructor(private readonly maxErrors: number) {}

  add(index: number, error: unknown): void {
    this.count++;
    if (this.errors.length < this.maxErrors) {
      const reason = error instanceof Error ? error.message : String(error);
      this.errors.push(`span ${index}: ${reason}`);
    }
  }
}
