/**
 * Which codec a POST body goes to, from its `Content-Type` (pure).
 */
import { HttpError } from '../../errors.js';
import type { Encoding, Transport } from '../metrics.js';

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

/**
 * The body encoding for a content type, or a 415 naming what is accepted. Zipkin treats a
 * missing content type as JSON (its clients often send none); OTLP requires one.
 */
export function bodyEncoding(contentType: string | undefined, transport: Transport): Encoding {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (PROTOBUF_TYPES.has(mediaType)) return 'proto';
  if (mediaType === '' && transport === 'zipkin') return 'json';
  const accepted = 'application/json or application/x-protobuf';
  throw new HttpError(
    415,
    mediaType === ''
      ? `missing Content-Type: send ${accepted}`
      : `unsupported Content-Type "${mediaType}": send ${accepted}`,
  );
}
