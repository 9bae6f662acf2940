/**
 * analysis/envoy: Envoy sidecar stages (seed 003) from Envoy trace/debug logs and from the
 * records of meshtrek's eBPF tracer, as Zipkin spans: one span per sidecar stream and one
 * child per stage, tagged `sidecar.stage=<stage>`.
 */
export {
  SIDECAR_STAGES,
  type SidecarStage,
  type SidecarStream,
  type StageInterval,
} from './sidecar-stream.js';
export { parseEnvoyLogLine, type EnvoyLogLine } from './envoy-log-line.js';
export {
  EnvoyLogAssembler,
  type EnvoyLogAssemblerOptions,
  type ImportProblem,
} from './envoy-log-assembler.js';
export { parseEbpfLine, type EbpfLineOptions, type EbpfLineResult } from './ebpf-record.js';
export { sidecarStreamSpans, placeStream, linkRequestStreams, requestIdTraceId } from './stream-spans.js';
export { serviceFromFileName } from './service-name.js';
export { readLineBatches } from './line-reader.js';
export {
  importSidecarFiles,
  type ImportSidecarOptions,
  type ImportReport,
  type SpanSink,
} from './import-sidecar-files.js';
export { jsonArraySink, collectorSink, spansEndpoint, type CollectorSinkOptions } from './span-sinks.js';
