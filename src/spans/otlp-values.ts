/**
 * OTLP scalar conversions shared by the JSON and protobuf decoders: ids (hex strings in
 * OTLP/JSON, bytes in protobuf), 64-bit nanosecond times (decimal strings or numbers in
 * JSON, `Long` in protobuf) and `AnyValue` attribute values.
 */
import { bytesToHex, hexState, isAllZero } from '../tracing/index.js';
import { SpanRejected, describeValue } from './span-rules.js';

/** A 64-bit integer as the `long` package represents it (protobufjs's decoding). */
interface LongLike {
  low: number;
  high: number;
  toString(): string;
}

function isLongLike(v: unknown): v is LongLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as LongLike).low === 'number' &&
    typeof (v as LongLike).high === 'number'
  );
}

/**
 * A required OTLP id of `byteLength` bytes (16 for traces, 8 for spans), as lower-case hex.
 * Accepts hex strings (OTLP/JSON) and byte arrays (protobuf); rejects all zeros. A trace id
 * whose high half is zero comes back as its 16-hex low half (the span model's rule).
 */
export function otlpId(value: unknown, byteLength: 8 | 16, field: string): string {
  if (typeof value === 'string') {
    const state = value.length === byteLength * 2 ? hexState(value) : 'invalid';
    if (state === 'zero') throw new SpanRejected(`${field} must not be all zeros`);
    if (state === 'invalid') {
      const base64 =
        value.length === Math.ceil(byteLength / 3) * 4 ? ' (OTLP/JSON ids are hex, not base64)' : '';
      throw new SpanRejected(
        `${field} must be ${byteLength * 2} hex characters${base64}, got ${describeValue(value)}`,
      );
    }
    const hex = state === 'upper' ? value.toLowerCase() : value;
    return byteLength === 16 && hex.startsWith('0000000000000000') ? hex.slice(16) : hex;
  }
  if (value instanceof Uint8Array) {
    if (value.length !== byteLength) {
      throw new SpanRejected(`${field} must be ${byteLength} bytes, got ${value.length}`);
    }
    // Checked on the bytes: no second pass over the hex text.
    if (isAllZero(value)) throw new SpanRejected(`${field} must not be all zeros`);
    const zeroHigh = byteLength === 16 && isAllZero(value.subarray(0, 8));
    return bytesToHex(zeroHigh ? value.subarray(8) : value);
  }
  throw new SpanRejected(
    `${field} is required (${byteLength * 2} hex characters), got ${describeValue(value)}`,
  );
}

/** Whether an optional id field is absent (missing, empty string or empty bytes). */
export function isEmptyId(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  // protobufjs leaves unset bytes fields at its shared default, an empty array `[]`.
  return (value instanceof Uint8Array || Array.isArray(value)) && value.length === 0;
}

/** A nanosecond epoch time split exactly into whole microseconds and the nanoseconds left over. */
export interface SplitNanos {
  us: number;
  remNs: number;
}

const ZERO: SplitNanos = { us: 0, remNs: 0 };

/**
 * Splits unix nanos without losing precision (they exceed 2^53): from a decimal string, a
 * number, or a `Long`. Absent or null is zero.
 */
export function splitNanos(value: unknown, field: string): SplitNanos {
  if (value === undefined || value === null) return ZERO;
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57)
        throw new SpanRejected(
          `${field} must be unix nanoseconds as decimal digits, got ${describeValue(value)}`,
        );
    }
    if (value.length <= 3) return { us: 0, remNs: Number(value) };
    return { us: Number(value.slice(0, -3)), remNs: Number(value.slice(-3)) };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new SpanRejected(`${field} must be non-negative unix nanoseconds, got ${value}`);
    const us = Math.floor(value / 1000);
    return { us, remNs: Math.max(0, Math.round(value - us * 1000)) };
  }
  if (isLongLike(value)) {
    const low = value.low >>> 0;
    const high = value.high >>> 0;
    // high·2^32 + low = 1000·(high·4294967) + (high·296 + low): every term stays exact.
    const rest = high * 296 + low;
    return { us: high * 4294967 + Math.floor(rest / 1000), remNs: rest % 1000 };
  }
  throw new SpanRejected(`${field} must be unix nanoseconds, got ${describeValue(value)}`);
}

type Json = Record<string, unknown>;

/** An `AnyValue` as a tag string: strings as they are, scalars stringified, arrays and maps as JSON. */
export function anyValueToTag(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Json;
  if (Object.hasOwn(v, 'stringValue')) return String(v.stringValue);
  const native = anyValueToNative(v);
  if (native === undefined) return undefined;
  return typeof native === 'object' ? JSON.stringify(native) : String(native);
}

/** An attribute value as plain JSON data. */
type NativeValue = string | number | boolean | null | NativeValue[] | { [key: string]: NativeValue };

function anyValueToNative(v: Json): NativeValue | undefined {
  if (Object.hasOwn(v, 'stringValue')) return String(v.stringValue);
  if (Object.hasOwn(v, 'boolValue')) return v.boolValue === true || v.boolValue === 'true';
  if (Object.hasOwn(v, 'intValue')) return intToNative(v.intValue);
  if (Object.hasOwn(v, 'doubleValue'))
    return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if (Object.hasOwn(v, 'bytesValue')) {
    const b = v.bytesValue;
    return b instanceof Uint8Array
      ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')
      : String(b);
  }
  if (Object.hasOwn(v, 'arrayValue')) {
    const values = (v.arrayValue as Json | null)?.values;
    return Array.isArray(values)
      ? values.map((x) =>
          x !== null && typeof x === 'object' ? (anyValueToNative(x as Json) ?? null) : null,
        )
      : [];
  }
  if (Object.hasOwn(v, 'kvlistValue')) {
    const values = (v.kvlistValue as Json | null)?.values;
    const out: Record<string, NativeValue> = {};
    if (Array.isArray(values)) {
      for (const kv of values as Json[]) {
        if (
          kv !== null &&
          typeof kv === 'object' &&
          typeof kv.key === 'string' &&
          kv.value !== null &&
          typeof kv.value === 'object'
        ) {
          out[kv.key] = anyValueToNative(kv.value as Json) ?? null;
        }
      }
    }
    return out;
  }
  return undefined;
}

/** An int64 as a JS number when exact, else its decimal string. */
function intToNative(v: unknown): number | string {
  if (typeof v === 'number') return v;
  const text = isLongLike(v) ? v.toString() : String(v);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}
