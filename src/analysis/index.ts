/**
 * analysis/: request types, per-type cost, anomalies with their culprit span, window mode
 * for fault localisation, critical paths and timelines, over any trace source (the store,
 * a Zipkin or Jaeger API, files). Pure cores; the sources and the renderers are the shell.
 */
export {
  analyzeTypes,
  analyzeAnomalies,
  analyzeTypesAndAnomalies,
  analyzeWindow,
  analyzeTraceById,
  analyzeTraceTimesById,
} from './run-analysis.js';
export type { AnalysisQuery, AnomaliesQuery, AnomaliesReport, Anomaly } from './run-analysis.js';
export type { TypesReport, TypeRow, MetricStats, SummaryFilter } from './types/request-types.js';
export { KEY_KINDS, type KeyKind } from './types/request-key.js';
export {
  ANOMALY_METRICS,
  type AnomalyMetric,
  type AnomalyMethod,
  type Baseline,
} from './anomalies/detect-anomalies.js';
export type { Culprit } from './anomalies/find-culprit.js';
export type { WindowReport, WindowRanges, Suspect, MetricChange } from './anomalies/window-mode.js';
export { analyzeTrace, type TraceAnalysis, type AnalyzeOptions } from './trace/analyze-trace.js';
export { traceReport, type TraceReport, type AnalysedSpan, type SpanTimes } from './trace/trace-report.js';
export { createTraceSummarizer } from './summary/trace-summarizer.js';
export { DEFAULT_MAX_CLOCK_SKEW_US } from './trace/clock-skew.js';
export type { TraceSource, SourceQuery, TimeWindow } from './sources/trace-source.js';
export { openSource, DEFAULT_COLLECTOR_URL, isFileSource, type SourceFlags } from './sources/open-source.js';
export { StoreSource } from './sources/store-source.js';
export { ZipkinSource } from './sources/zipkin-source.js';
export { JaegerSource } from './sources/jaeger-source.js';
export { FileSource } from './sources/file-source.js';
export { parseDurationUs, parseInstantUs, parseRangeUs, resolveWindow } from './time-range.js';
export { typesCsv, typesSeed004, typesTable, SEED004_HEADER } from './output/format-types.js';
export { anomaliesTable, windowTable, traceTree } from './output/format-reports.js';
export { renderTimeline } from './render-timeline.js';
export {
  SIDECAR_STAGES,
  type SidecarStage,
  importSidecarFiles,
  jsonArraySink,
  collectorSink,
  type ImportReport,
  type SpanSink,
} from './envoy/index.js';
