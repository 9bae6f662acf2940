/**
 * Forwarding: what a collector accepted also goes to the lab's own tracing backend (OTLP:
 * Tempo, Jaeger, an OpenTelemetry Collector; or Zipkin), batched, retried with backoff,
 * bounded and counted, never in the way of ingest.
 */
export { Forwarder, renderForwardMetrics, type ForwardTargetMetrics } from './forwarder.js';
export { parseForwardTarget, type ForwardTarget, type ForwardProtocol } from './forward-target.js';
export type { ForwardOptions, ForwardCounts } from './target-exporter.js';
export { encodeOtlpJson } from './otlp-json-encoder.js';
