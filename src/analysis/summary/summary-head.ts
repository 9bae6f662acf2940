/**
 * Reads the numbers of a summary's `data` text (`[durationUs, error, cpuMs, peakMemKb, …]`)
 * into a typed array, without `JSON.parse` (no array per summary) and as far as needed:
 * `analyze types` and `analyze anomalies` need the head of every trace but the
 * per-operation values only of the traces their samples keep; a full `JSON.parse` of every
 * summary was the largest cost of a pass over a million of them.
 */
import { HEAD_FIELDS } from './trace-summarizer.js';

const COMMA = 44;
const CLOSE = 93;
const SPACE = 32;

/** Plain decimal digits with an optional sign and fraction; anything else (exponents) takes `Number`. */
function fieldValue(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) === SPACE) i++;
  let negative = false;
  if (text.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let value = 0;
  let scale = 0;
  let digits = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (scale > 0) scale *= 10;
      digits++;
    } else if (c === 46 && scale === 0) scale = 1;
    else if (c === SPACE) break;
    else return Number(text.slice(from, to));
  }
  if (digits === 0 || digits > 15) return Number(text.slice(from, to));
  const result = scale > 1 ? value / scale : value;
  return negative ? -result : result;
}

/**
 * Reads the first `limit` numbers of the JSON array `data` into `out` (fewer when the array
 * is shorter; the rest of `out[0..limit)` is set to 0). Returns how many it read, or -1 when
 * `data` is not a JSON array of numbers (as far as it read).
 */
export function readSummaryNumbers(data: string, out: Float64Array, limit = out.length): number {
  if (data.charCodeAt(0) !== 91) return -1;
  let from = 1;
  let field = 0;
  for (; field < limit; field++) {
    let to = from;
    let c = data.charCodeAt(to);
    while (to < data.length && c !== COMMA && c !== CLOSE) c = data.charCodeAt(++to);
    if (to >= data.length) return -1;
    if (c === CLOSE && field === 0 && data.slice(from, to).trim() === '') break;
    const value = fieldValue(data, from, to);
    if (!Number.isFinite(value)) return -1;
    out[field] = value;
    if (c === CLOSE) {
      field++;
      break;
    }
    from = to + 1;
  }
  for (let rest = field; rest < limit; rest++) out[rest] = 0;
  return field;
}

/**
 * Writes the `HEAD_FIELDS` head values of `data` into `out` (missing ones as 0); false when
 * `data` is not a JSON array of numbers.
 */
export function readSummaryHead(data: string, out: Float64Array): boolean {
  return readSummaryNumbers(data, out, HEAD_FIELDS) >= 0;
}
