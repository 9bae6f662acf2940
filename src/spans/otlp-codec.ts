/**
 * OTLP/HTTP trace bodies (`POST /v1/traces`): JSON and protobuf `ExportTraceServiceRequest`
 * → spans, and the protobuf/JSON `ExportTraceServiceResponse` the collector answers with.
 */
import { SpanFormatError, type DecodeOptions, type DecodeResult } from './decode-result.js';
import { parseJsonBody } from './json-body.js';
import { spansFromOtlpRequest } from './otlp-mapping.js';
import { protoSchemas } from './proto-schemas.js';

/** Decodes an OTLP/JSON `ExportTraceServiceRequest` (ids in hex, 64-bit ints as strings or numbers). */
export function decodeOtlpJson(body: Buffer | string, options: DecodeOptions = {}): DecodeResult {
  return spansFromOtlpRequest(parseJsonBody(body), options);
}

/** Decodes an OTLP protobuf `ExportTraceServiceRequest`. */
export function decodeOtlpProto(body: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  let message: unknown;
  try {
    message = protoSchemas().otlpExportRequest.decode(body);
  } catch (error) {
    throw new SpanFormatError(
      `malformed protobuf (expected an OTLP ExportTraceServiceRequest): ${(error as Error).message}`,
    );
  }
  return spansFromOtlpRequest(message, options);
}

/** The OTLP partial-success answer; `undefined` fields mean full success (`{}`). */
export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

/** The OTLP answer for a decode result: `{}` when nothing was rejected. */
export function otlpExportResponse(result: Pick<DecodeResult, 'rejected' | 'errors'>): OtlpExportResponse {
  if (result.rejected === 0) return {};
  return { partialSuccess: { rejectedSpans: result.rejected, errorMessage: result.errors.join('; ') } };
}

/** The answer as OTLP/JSON (int64 as a decimal string, per the spec). */
export function encodeOtlpResponseJson(response: OtlpExportResponse): string {
  if (!response.partialSuccess) return '{}';
  const { rejectedSpans, errorMessage } = response.partialSuccess;
  return JSON.stringify({ partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } });
}

/** The answer as protobuf `ExportTraceServiceResponse`. */
export function encodeOtlpResponseProto(response: OtlpExportResponse): Uint8Array {
  return protoSchemas().otlpExportResponse.encode(response).finish();
}
