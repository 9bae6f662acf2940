/**
 * Hex helpers for span ids, written for the ingest hot path: a lookup table per char code
 * instead of a regular expression, and a byte → two-char table for binary ids.
 */

/** `HEX_VALUE[c]` is the value of hex digit with char code `c`, or -1. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[97 + i] = 10 + i;
  HEX_VALUE[65 + i] = 10 + i;
}

const BYTE_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_HEX.push(i.toString(16).padStart(2, '0'));

/** Whether `s` is non-empty hex (either case) and not all zeros. Lower-case flag in the result. */
export function hexState(s: string): 'lower' | 'upper' | 'zero' | 'invalid' {
  let nonZero = false;
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || HEX_VALUE[c] === -1) return 'invalid';
    if (c !== 48) nonZero = true;
    if (c >= 65 && c <= 70) upper = true;
  }
  if (s.length === 0) return 'invalid';
  if (!nonZero) return 'zero';
  return upper ? 'upper' : 'lower';
}

/** Lower-case hex of `bytes`. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i]!];
  return out;
}

/** Bytes of an even-length hex string (caller has validated it). */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = (HEX_VALUE[hex.charCodeAt(2 * i)]! << 4) | HEX_VALUE[hex.charCodeAt(2 * i + 1)]!;
  }
  return out;
}

/** Whether every byte is zero (an invalid id in Zipkin and OTLP). */
export function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
