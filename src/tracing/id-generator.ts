/**
 * Random trace and span ids. Spans are created on every hop of every request, so random
 * bytes come from a pooled buffer refilled 4 KiB at a time instead of a syscall per id.
 */
import { randomFillSync } from 'node:crypto';
import { bytesToHex, isAllZero } from './hex.js';

const pool = new Uint8Array(4096);
let offset = pool.length;

function randomHex(byteLength: number): string {
  for (;;) {
    if (offset + byteLength > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const bytes = pool.subarray(offset, offset + byteLength);
    offset += byteLength;
    // An all-zero id is invalid everywhere; 2^-64 odds, but cheap to rule out.
    if (!isAllZero(bytes)) return bytesToHex(bytes);
  }
}

/** A new 128-bit trace id: 32 lower-case hex characters. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new 64-bit span id: 16 lower-case hex characters. */
export function newSpanId(): string {
  return randomHex(8);
}
