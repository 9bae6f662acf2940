/**
 * The analyzer's per-trace summary: everything `analyze types` and `analyze anomalies`
 * need of a trace, small enough that the store keeps one per trace at ingest
 * (`TraceStore.summarizeTraces`).
 *
 * - group (shared by every trace of a shape): the three request-type keys and the
 *   operations of the trace, `[service, operation, remote service of a CLIENT span]`;
 * - data (per trace): `[durationUs, error 0|1, cpuMs, peakMemKb]`, then per operation, in
 *   the group's order, `[criticalPathUs, selfTimeUs, cpuMs, peakMemKb, errors, count]`.
 *
 * Trace CPU is the sum of `cpu.ms` over the spans that carry it, except spans inside
 * another span of the same service that carries it (the instance's CPU time already holds
 * its `traced()` functions'); trace memory is the largest `peak_mem.kb`.
 */
import type { Span } from '../../spans/index.js';
import type { TraceSummarizer, TraceSummary, TraceSummaryParts } from '../../store/index.js';
import { analyzeTrace, type AnalyzeOptions, type TraceAnalysis } from '../trace/analyze-trace.js';
import { DEFAULT_MAX_CLOCK_SKEW_US } from '../trace/clock-skew.js';
import { DEFAULT_OVERLAP_TOLERANCE } from '../trace/critical-path.js';
import type { TraceNode } from '../trace/trace-tree.js';
import { calledServer, requestKey } from '../types/request-key.js';

/** Values per operation in `data`. */
export const OP_FIELDS = 6;
/** Trace-level values at the head of `data`. */
export const HEAD_FIELDS = 4;

/** One operation of a trace's group. */
export interface SummaryOperation {
  service: string;
  operation: string;
  /** For a CLIENT span: the service it called ('' when unknown); '' otherwise. */
  remote: string;
}

/** A group, parsed. */
export interface SummaryGroup {
  tree: string;
  root: string;
  set: string;
  ops: SummaryOperation[];
  /** Every local service of the trace. */
  services: Set<string>;
}

/** A summary, decoded. */
export interface DecodedSummary {
  traceId: string;
  timestampUs: number;
  group: SummaryGroup;
  /** See the file header. */
  values: number[];
}

function num(span: Span, tag: string): number | undefined {
  const raw = span.tags?.[tag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** True when the span reports a failure (Zipkin's `error` tag or OpenTelemetry's status). */
export function isErrorSpan(span: Span): boolean {
  const tags = span.tags;
  if (tags === undefined) return false;
  if (tags.error !== undefined && tags.error !== 'false') return true;
  return tags['otel.status_code'] === 'ERROR';
}

function hasCpuAncestorOfService(node: TraceNode): boolean {
  for (let up = node.parent; up !== undefined; up = up.parent) {
    if (up.service === node.service && num(up.span, 'cpu.ms') !== undefined) return true;
  }
  return false;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Summary parts of an analysed trace. */
export function summarizeAnalysis(analysis: TraceAnalysis): TraceSummaryParts {
  const { tree, timings } = analysis;
  const opIndex = new Map<string, number>();
  const ops: [string, string, string][] = [];
  const opValues: number[][] = [];
  let error = 0;
  let cpuMs = 0;
  let memKb = 0;
  for (const timing of timings) {
    const { node } = timing;
    const remote =
      node.span.kind === 'CLIENT'
        ? (node.span.remoteEndpoint?.serviceName ?? calledServer(node)?.service ?? '')
        : '';
    const key = `${node.service}\u0000${node.operation}\u0000${remote}`;
    let index = opIndex.get(key);
    if (index === undefined) {
      index = ops.length;
      opIndex.set(key, index);
      ops.push([node.service, node.operation, remote]);
      opValues.push([0, 0, 0, 0, 0, 0]);
    }
    const values = opValues[index] as number[];
    const cpu = num(node.span, 'cpu.ms');
    const mem = num(node.span, 'peak_mem.kb');
    const failed = isErrorSpan(node.span);
    values[0] = (values[0] as number) + timing.criticalPathUs;
    values[1] = (values[1] as number) + timing.selfTimeUs;
    if (cpu !== undefined) values[2] = (values[2] as number) + cpu;
    if (mem !== undefined) values[3] = Math.max(values[3] as number, mem);
    if (failed) values[4] = (values[4] as number) + 1;
    values[5] = (values[5] as number) + 1;
    if (failed) error = 1;
    if (cpu !== undefined && !hasCpuAncestorOfService(node)) cpuMs += cpu;
    if (mem !== undefined) memKb = Math.max(memKb, mem);
  }
  const group = JSON.stringify({
    tree: requestKey(tree, 'tree'),
    root: requestKey(tree, 'root'),
    set: requestKey(tree, 'set'),
    ops,
  });
  const data: number[] = [Math.round(analysis.durationUs), error, round3(cpuMs), Math.round(memKb)];
  for (const values of opValues) {
    data.push(
      Math.round(values[0] as number),
      Math.round(values[1] as number),
      round3(values[2] as number),
      Math.round(values[3] as number),
      values[4] as number,
      values[5] as number,
    );
  }
  return { group, data: JSON.stringify(data) };
}

/** The summarizer for `options`; its version names them, so other options never reuse kept summaries. */
export function createTraceSummarizer(options: AnalyzeOptions = {}): TraceSummarizer {
  const skew = options.maxClockSkewUs ?? DEFAULT_MAX_CLOCK_SKEW_US;
  const tolerance = options.overlapTolerance ?? DEFAULT_OVERLAP_TOLERANCE;
  return {
    version: `hivelab-analysis-1;skew=${skew};overlap=${tolerance}`,
    summarize(spans) {
      const analysis = analyzeTrace(spans, { maxClockSkewUs: skew, overlapTolerance: tolerance });
      if (analysis === undefined)
        return { group: '{"tree":"","root":"","set":"","ops":[]}', data: '[0,0,0,0]' };
      return summarizeAnalysis(analysis);
    },
  };
}

/** Decodes summaries; parsed groups are shared by every summary with the same text. */
export class SummaryDecoder {
  readonly #groups = new Map<string, SummaryGroup>();

  group(text: string): SummaryGroup {
    let group = this.#groups.get(text);
    if (group === undefined) {
      const raw = JSON.parse(text) as {
        tree: string;
        root: string;
        set: string;
        ops: [string, string, string][];
      };
      const ops = raw.ops.map(([service, operation, remote]) => ({ service, operation, remote }));
      group = {
        tree: raw.tree,
        root: raw.root,
        set: raw.set,
        ops,
        services: new Set(ops.map((o) => o.service)),
      };
      this.#groups.set(text, group);
    }
    return group;
  }

  decode(summary: TraceSummary): DecodedSummary {
    return {
      traceId: summary.traceId,
      timestampUs: summary.timestampUs,
      group: this.group(summary.group),
      values: JSON.parse(summary.data) as number[],
    };
  }
}
