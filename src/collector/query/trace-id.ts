/**
 * Trace ids from URLs: normalised by the span codecs, a 400 when malformed.
 */
import { HttpError } from '../../errors.js';
import { normaliseTraceId } from '../../spans/index.js';

/** The normalised form of a trace id from a path or query parameter, or a 400. */
export function parseTraceId(raw: string): string {
  let id: string | undefined;
  try {
    id = normaliseTraceId(raw.trim());
  } catch {
    id = undefined;
  }
  if (!id) throw new HttpError(400, `invalid trace id "${raw}": expected 16 or 32 lower-hex characters`);
  return id;
}
