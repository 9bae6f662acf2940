/**
 * The source-neutral record of one sidecar stream (one request through one Envoy), as the
 * Envoy log reader and the eBPF record reader both produce it, and the stage names that
 * the spans carry in their `sidecar.stage` tag.
 */

/**
 * The stages of a request inside a sidecar, in request order (design.md, "Envoy sidecar
 * request stages"). Emitted stage spans carry `sidecar.stage=<one of these>`.
 */
export const SIDECAR_STAGES = [
  'connection',
  'downstream-parsing',
  'request-filters',
  'socket-waiting',
  'write',
  'process-time',
  'read',
  'upstream-parsing',
  'response-filters',
] as const;

/** One of {@link SIDECAR_STAGES}. */
export type SidecarStage = (typeof SIDECAR_STAGES)[number];

/** One stage of a stream: its start and end in epoch microseconds. */
export interface StageInterval {
  stage: SidecarStage;
  startUs: number;
  endUs: number;
}

/** A trace context read from a header dump (W3C or B3), ids lower-case hex. */
export interface StreamTraceContext {
  traceId: string;
  /** The caller's span: the parent of the sidecar's span. */
  parentId?: string;
  /** The span id Envoy itself used for this hop (when its tracer is on), else absent. */
  spanId?: string;
}

/** One request through one sidecar. Times are epoch microseconds. */
export interface SidecarStream {
  /** Where it came from: `file:line` of its first line. */
  source: string;
  /** The sidecar's workload (the span's service name). */
  service: string;
  /** A key unique within the import: file, connection and stream ids. */
  key: string;
  connectionId?: string;
  streamId?: string;
  requestId?: string;
  trace?: StreamTraceContext;
  method?: string;
  path?: string;
  authority?: string;
  statusCode?: string;
  upstreamCluster?: string;
  startUs: number;
  endUs: number;
  stages: StageInterval[];
  /** True when the input ended (or the stream was reset) before the stream finished. */
  incomplete?: boolean;
  /** Extra tags, e.g. the eBPF tracer's read/write durations. */
  tags?: Record<string, string>;
  /** `envoy-log` or `ebpf`. */
  origin: 'envoy-log' | 'ebpf';
}

/**
 * Pure: stage intervals from an ordered list of marks, keeping only those whose both ends
 * are known and that do not run backwards; an unknown boundary skips that stage.
 */
export function stagesFromMarks(
  marks: ReadonlyArray<readonly [SidecarStage, number | undefined, number | undefined]>,
): StageInterval[] {
  const stages: StageInterval[] = [];
  for (const [stage, startUs, endUs] of marks) {
    if (startUs === undefined || endUs === undefined || endUs < startUs) continue;
    stages.push({ stage, startUs, endUs });
  }
  return stages;
}
