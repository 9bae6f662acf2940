/**
 * The trace collector: Zipkin v2 and OTLP/HTTP ingest, the Zipkin v2 and Jaeger query
 * APIs, `/health` and Prometheus `/metrics`, over a `TraceStore`.
 */
export { startCollector, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUEUED_SPANS } from './start-collector.js';
export type { CollectorOptions, RunningCollector } from './start-collector.js';
export type { CollectorMetrics, IngestCounts } from './metrics.js';
export { parseAgeMs, parseSizeBytes } from './retention-flags.js';
export {
  parseForwardTarget,
  type ForwardTarget,
  type ForwardTargetMetrics,
  type ForwardOptions,
} from './forward/index.js';
