/**
 * analysis/: request types, aggregation, anomaly detection, critical path, timelines and
 * the Envoy sidecar import. Other subsystems import only from here.
 */
export {
  SIDECAR_STAGES,
  type SidecarStage,
  importSidecarFiles,
  jsonArraySink,
  collectorSink,
  type ImportReport,
  type SpanSink,
} from './envoy/index.js';
