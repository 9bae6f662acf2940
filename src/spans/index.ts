/**
 * spans/: the canonical span model; codecs for Zipkin v2 JSON and proto3, OTLP JSON and
 * protobuf, and the Jaeger query JSON; and, re-exported from tracing/ and zipkin-reporter/,
 * the span type, ids, B3 and W3C trace context propagation and a batching Zipkin reporter.
 * Other subsystems import only from here (function-instance code: from tracing/).
 */
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from '../tracing/index.js';
export { SpanFormatError } from './decode-result.js';
export type { DecodeResult, DecodeOptions } from './decode-result.js';
export { decodeZipkinJson, zipkinSpansFromJson } from './zipkin-json-decoder.js';
export { encodeZipkinJson } from '../tracing/index.js';
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
export { normalizeTraceId, normalizeSpanId } from '../tracing/index.js';
export { MIN_EPOCH_US, MAX_FUTURE_US } from './span-rules.js';
export {
  extractTraceContext,
  injectTraceContext,
  parseTraceparent,
  parseB3Single,
  newTraceId,
  newSpanId,
} from '../tracing/index.js';
export type { TraceContext } from '../tracing/index.js';
export { ZipkinReporter } from '../zipkin-reporter/index.js';
export type { ZipkinReporterOptions, ZipkinReporterStats } from '../zipkin-reporter/index.js';
