import { SpanFormatError } from './decode-result.js';

/**
 * Parses a JSON request body. A leading byte-order mark (some .NET and Windows clients
 * send one) is skipped; malformed JSON is a `SpanFormatError` carrying the parser's reason.
 */
export function parseJsonBody(body: Buffer | string): unknown {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SpanFormatError(`malformed JSON: ${(error as Error).message}`);
  }
}
