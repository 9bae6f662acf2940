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

/**
 * Per UTF-16 code unit: bit 1 = hex digit, bit 2 = a non-zero digit, bit 4 = upper case.
 * One table read per char, no branches in the loop: id checks dominate span validation.
 */
const HEX_FLAGS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) HEX_FLAGS[c] = c === 48 ? 1 : 3;
for (let c = 97; c <= 102; c++) HEX_FLAGS[c] = 3;
for (let c = 65; c <= 70; c++) HEX_FLAGS[c] = 7;

/** Classifies `s`: lower-case hex, hex with upper case, all zeros, or not (non-empty) hex. */
export function hexState(s: string): 'lower' | 'upper' | 'zero' | 'invalid' {
  let all = 1;
  let any = 0;
  for (let i = 0; i < s.length; i++) {
    const flags = HEX_FLAGS[s.charCodeAt(i)]!;
    all &= flags;
    any |= flags;
  }
  if (all === 0 || s.length === 0) return 'invalid';
  if ((any & 2) === 0) return 'zero';
  return (any & 4) !== 0 ? 'upper' : 'lower';
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
