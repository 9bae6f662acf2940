/**
 * The analyses over a source, as the CLI and the collector's `/api/hivelab/*` routes call
 * them: request types, anomalies (with culprits), window mode and one trace. Thin: the work
 * is in the pure modules; this file streams summaries from a source into them.
 */
import { UserError } from '../errors.js';
import {
  flagAnomalies,
  type AnomalyMethod,
  type AnomalyMetric,
  type Baseline,
} from './anomalies/detect-anomalies.js';
import { findCulprit, type Culprit } from './anomalies/find-culprit.js';
import { WindowAnalysis, type WindowRanges, type WindowReport } from './anomalies/window-mode.js';
import type { SourceQuery, TimeWindow, TraceSource } from './sources/trace-source.js';
import { createTraceSummarizer } from './summary/trace-summarizer.js';
import { analyzeTrace, type AnalyzeOptions } from './trace/analyze-trace.js';
import { traceReport, type SpanTimes, type TraceReport } from './trace/trace-report.js';
import type { KeyKind } from './types/request-key.js';
import {
  accumulateTypes,
  decodeSummaries,
  typesReport,
  type SummaryFilter,
  type TypesReport,
} from './types/request-types.js';
import type { TypeAccumulator } from './types/type-accumulator.js';

export interface AnalysisQuery extends AnalyzeOptions, SummaryFilter {
  /** @default 'tree' */
  key?: KeyKind;
  window?: TimeWindow;
  limit?: number;
}

export interface AnomaliesQuery extends AnalysisQuery {
  method?: AnomalyMethod;
  k?: number;
  metrics?: readonly AnomalyMetric[];
  /** @default 20 */
  minCount?: number;
  /** At most this many anomalies are reported (the most severe), each with its culprit. @default 100 */
  top?: number;
}

export interface Anomaly {
  traceId: string;
  type: string;
  metric: AnomalyMetric;
  value: number;
  baseline: Baseline;
  culprit: Culprit | null;
}

export interface AnomaliesReport {
  anomalies: Anomaly[];
  skipped: { type: string; count: number; reason: string }[];
  /** Traces flagged in all (`anomalies` holds the `top` most severe). */
  total: number;
}

function sourceQuery(query: AnalysisQuery): SourceQuery {
  return {
    ...(query.window !== undefined ? { window: query.window } : {}),
    ...(query.service !== undefined ? { service: query.service } : {}),
    ...(query.operation !== undefined ? { operation: query.operation } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
  };
}

function analyzeOptions(query: AnalyzeOptions): AnalyzeOptions {
  return {
    ...(query.maxClockSkewUs !== undefined ? { maxClockSkewUs: query.maxClockSkewUs } : {}),
    ...(query.overlapTolerance !== undefined ? { overlapTolerance: query.overlapTolerance } : {}),
  };
}

function summaries(source: TraceSource, query: AnalysisQuery) {
  const summarizer = createTraceSummarizer(analyzeOptions(query));
  return decodeSummaries(source.summaries(sourceQuery(query), summarizer), query, query.limit);
}

/** One pass over the summaries of the query (or the source's cache): the accumulated request types. */
async function accumulate(source: TraceSource, query: AnalysisQuery): Promise<Map<string, TypeAccumulator>> {
  const summarizer = createTraceSummarizer(analyzeOptions(query));
  if (query.window !== undefined && source.cachedTypes !== undefined) {
    const cached = await source.cachedTypes(
      {
        window: query.window,
        key: query.key ?? 'tree',
        ...(query.service !== undefined ? { service: query.service } : {}),
        ...(query.operation !== undefined ? { operation: query.operation } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      },
      summarizer,
    );
    if (cached !== undefined) return cached;
  }
  return accumulateTypes(
    source.summaries(sourceQuery(query), summarizer),
    query.key ?? 'tree',
    query,
    query.limit,
  );
}

/** The anomalies of accumulated types: flags, then fetches the `top` flagged traces for their culprits. */
async function anomaliesOf(
  source: TraceSource,
  types: Map<string, TypeAccumulator>,
  query: AnomaliesQuery,
): Promise<AnomaliesReport> {
  const { flagged, skipped } = flagAnomalies(types.values(), query);
  const anomalies: Anomaly[] = [];
  for (const item of flagged.slice(0, query.top ?? 100)) {
    const spans = await source.getTrace(item.traceId);
    const analysis = analyzeTrace(spans, analyzeOptions(query));
    const type = types.get(item.type);
    const culprit =
      analysis !== undefined && type !== undefined ? findCulprit(analysis, type, item.metric) : undefined;
    anomalies.push({
      traceId: item.traceId,
      type: item.type,
      metric: item.metric,
      value: item.value,
      baseline: item.baseline,
      culprit: culprit ?? null,
    });
  }
  return { anomalies, skipped, total: flagged.length };
}

/** `analyze types`. */
export async function analyzeTypes(source: TraceSource, query: AnalysisQuery = {}): Promise<TypesReport> {
  return typesReport(await accumulate(source, query));
}

/** `analyze anomalies`: flags, then fetches the `top` flagged traces for their culprits. */
export async function analyzeAnomalies(
  source: TraceSource,
  query: AnomaliesQuery = {},
): Promise<AnomaliesReport> {
  return anomaliesOf(source, await accumulate(source, query), query);
}

/**
 * Both reports from one pass over the summaries (`analyze anomalies --with-types`, the web
 * UI's `/types`): the object is both shapes at once, `{types, anomalies, skipped, total}`.
 */
export async function analyzeTypesAndAnomalies(
  source: TraceSource,
  query: AnomaliesQuery = {},
): Promise<TypesReport & AnomaliesReport> {
  const types = await accumulate(source, query);
  return { ...typesReport(types), ...(await anomaliesOf(source, types, query)) };
}

/** Window mode of `analyze anomalies`: suspects of a fault injected at the window. */
export async function analyzeWindow(
  source: TraceSource,
  ranges: WindowRanges,
  query: AnalysisQuery & { minCount?: number } = {},
): Promise<WindowReport> {
  if (ranges.window.endUs <= ranges.window.startUs || ranges.baseline.endUs <= ranges.baseline.startUs) {
    throw new UserError('the baseline and the window must each end after they start');
  }
  const startUs = Math.min(ranges.baseline.startUs, ranges.window.startUs);
  const endUs = Math.max(ranges.baseline.endUs, ranges.window.endUs);
  const analysis = new WindowAnalysis(ranges, query.key ?? 'tree');
  for await (const page of summaries(source, { ...query, window: { startUs, endUs } })) {
    for (const summary of page) analysis.add(summary);
  }
  return analysis.report(query.minCount);
}

async function analysedTrace(source: TraceSource, traceId: string, options: AnalyzeOptions) {
  const spans = await source.getTrace(traceId);
  const analysis = analyzeTrace(spans, analyzeOptions(options));
  if (analysis === undefined) {
    throw new UserError(
      `trace ${traceId} not found in ${source.description}`,
      'check the id (16 or 32 hex characters) and the source',
    );
  }
  return analysis;
}

/** `trace show`: one trace analysed; a `UserError` when the source does not have it. */
export async function analyzeTraceById(
  source: TraceSource,
  traceId: string,
  options: AnalyzeOptions = {},
): Promise<TraceReport> {
  return traceReport(await analysedTrace(source, traceId, options));
}

/** As `analyzeTraceById`, each span as its id and times only (the web UI has the spans). */
export async function analyzeTraceTimesById(
  source: TraceSource,
  traceId: string,
  options: AnalyzeOptions = {},
): Promise<TraceReport<SpanTimes>> {
  return traceReport(await analysedTrace(source, traceId, options), 'times');
}
