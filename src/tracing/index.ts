/**
 * tracing/: the part of the span model every process needs, down to a function instance's
 * SDK: the `Span` type, trace and span ids, B3 and W3C trace-context propagation, hex
 * helpers and the Zipkin v2 JSON encoder. Nothing here loads protobufjs, the .proto schemas
 * or node:http(s), so importing it costs a function's cold start nothing; the codecs live in
 * spans/ (which re-exports all of this) and the reporter in zipkin-reporter/.
 */
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from './span.js';
export { newTraceId, newSpanId } from './id-generator.js';
export { normalizeTraceId, normalizeSpanId } from './trace-id.js';
export { extractTraceContext, injectTraceContext, parseTraceparent, parseB3Single } from './trace-context.js';
export type { TraceContext } from './trace-context.js';
export { bytesToHex, hexToBytes, hexState, isAllZero } from './hex.js';
export { encodeZipkinJson } from './zipkin-json-encoder.js';
