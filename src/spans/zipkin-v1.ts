import { SpanFormatError } from './decode-result.js';

/**
 * Zipkin v1 JSON spans carry `binaryAnnotations`, or annotations with an `endpoint`, and
 * never v2's `localEndpoint` or `kind`. zipkin-js sends v1 unless told otherwise, so the
 * message says how to switch.
 */
export function isZipkinV1Span(raw: Record<string, unknown>): boolean {
  if (raw.localEndpoint !== undefined || raw.kind !== undefined) return false;
  if (raw.binaryAnnotations !== undefined) return true;
  const annotations = raw.annotations;
  if (!Array.isArray(annotations)) return false;
  for (const a of annotations as unknown[]) {
    if (a !== null && typeof a === 'object' && (a as Record<string, unknown>).endpoint !== undefined)
      return true;
  }
  return false;
}

/** The error for a v1 body sent to the v2 endpoint. */
export function zipkinV1Error(index: number): SpanFormatError {
  return new SpanFormatError(
    `this is Zipkin v1 JSON (span ${index} has binaryAnnotations or annotations with an endpoint), ` +
      'but /api/v2/spans takes Zipkin v2. Switch the client to v2: with zipkin-js, ' +
      "new HttpLogger({ endpoint: 'http://<collector>/api/v2/spans', jsonEncoder: JSON_V2 }) " +
      "(JSON_V2 from require('zipkin').jsonEncoder); other tracers have a similar v2 encoder " +
      'setting. hivelab does not serve the v1 endpoint /api/v1/spans.',
  );
}
