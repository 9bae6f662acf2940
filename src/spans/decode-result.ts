import type { Span } from '../tracing/index.js';

/** What every span decoder returns: the valid spans, and how many (and why) others were rejected. */
export interface DecodeResult {
  spans: Span[];
  rejected: number;
  /** The first few reasons, e.g. `span 3: id must be 16 hex characters, got "xyz"`. */
  errors: string[];
}

/** Knobs of the decoders; defaults suit the collector. */
export interface DecodeOptions {
  /**
   * "Now" in epoch microseconds, for the "more than a day in the future" rule; tests pass
   * a fixed value. @default Date.now() * 1000
   */
  nowUs?: number;
  /** How many rejection reasons to keep in `errors`. @default 10 */
  maxErrors?: number;
}

/**
 * The whole body is unusable: malformed JSON or protobuf, the wrong top-level shape, or
 * Zipkin v1 sent to the v2 endpoint. The collector answers 400 with `message`.
 */
export class SpanFormatError extends Error {
  override readonly name = 'SpanFormatError';
}
