/**
 * spans/: the canonical span model; codecs for Zipkin v2 JSON and proto3, OTLP JSON and
 * protobuf, and the Jaeger query JSON; B3 and W3C trace context propagation; a batching
 * Zipkin reporter. Other subsystems import only from here.
 */
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from './span.js';
export { SpanFormatError } from './decode-result.js';
export type { DecodeResult, DecodeOptions } from './decode-result.js';
export { decodeZipkinJson, zipkinSpansFromJson } from './zipkin-json-decoder.js';
export { encodeZipkinJson } from './zipkin-json-encoder.js';
export { decodeZipkinProto, encodeZipkinProto } from './zipkin-proto-codec.js';
export {
  decodeOtlpJson,
  decodeOtlpProto,
  otlpExportResponse,
  encodeOtlpResponseJson,
  encodeOtlpResponseProto,
} from './otlp-codec.js';
export type { OtlpExportResponse } from './otlp-codec.js';
export { toJaegerTrace } from './jaeger-trace.js';
export type {
  JaegerTrace,
  JaegerSpan,
  JaegerProcess,
  JaegerTag,
  JaegerLog,
  JaegerReference,
} from './jaeger-trace.js';
export { normalizeTraceId, normalizeSpanId } from './trace-id.js';
export { MIN_EPOCH_US, MAX_FUTURE_US } from './span-rules.js';
export { extractTraceContext, injectTraceContext, parseTraceparent, parseB3Single } from './trace-context.js';
export type { TraceContext } from './trace-context.js';
export { newTraceId, newSpanId } from './id-generator.js';
export { ZipkinReporter } from './zipkin-reporter.js';
export type { ZipkinReporterOptions, ZipkinReporterStats } from './zipkin-reporter.js';
