/**
 * Trace ids from URLs: normalized by the span codecs, a 400 when malformed.
 */
import { HttpError } from '../../errors.js';
import { normalizeTraceId } from '../../spans/index.js';

/** The normalized form of a trace id from a path or query parameter, or a 400. */
export function parseTraceId(raw: string): string {
  let id: string | undefined;
  try {
    id = normalizeTraceId(raw.trim());
  } catch {
    id = undefined;
  }
  if (!id) throw new HttpError(400, `invalid trace id "${raw}": expected 16 or 32 lower-hex characters`);
  return id;
}
