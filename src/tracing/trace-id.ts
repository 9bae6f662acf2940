import { hexState } from './hex.js';

/**
 * A trace id as Zipkin stores it: lower-case; 16 or 32 hex characters; a 32-character id
 * whose high half is all zeros becomes its 16-character low half (so a 64-bit id sent by
 * one tracer and the same id padded to 128 bits by another meet in one trace).
 * Returns `undefined` for anything else, including an all-zero id.
 */
export function normalizeTraceId(id: string): string | undefined {
  if (id.length !== 16 && id.length !== 32) return undefined;
  const state = hexState(id);
  if (state === 'invalid' || state === 'zero') return undefined;
  const lower = state === 'upper' ? id.toLowerCase() : id;
  if (lower.length === 32 && lower.startsWith('0000000000000000')) return lower.slice(16);
  return lower;
}

/** A span id (16 hex), lower-cased; `undefined` when malformed or all zeros. */
export function normalizeSpanId(id: string): string | undefined {
  if (id.length !== 16) return undefined;
  const state = hexState(id);
  if (state === 'invalid' || state === 'zero') return undefined;
  return state === 'upper' ? id.toLowerCase() : id;
}
