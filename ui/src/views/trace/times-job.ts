/**
 * The trace page's times, off the main thread: the browser's own self time and critical path
 * first, then the analyzer's (`spans=times`) mapped onto the nodes. Runs in the worker
 * (times-worker.ts), or in the page when no worker can start; reports through `post`.
 */
import { analysisApi, isAnalyzerMissing } from '../../api/analysis-api.js';
import { computeTimes, type TimesGraph, type TraceTimes } from '../../model/critical-path.js';
import { timesFromAnalysis } from './analysis-times.js';

export interface TimesRequest {
  traceId: string;
  graph: TimesGraph;
  /** Span id of each node, by node index, joined by commas (ids are hex). */
  spanIds: string;
}

export type TimesMessage =
  | { kind: 'browser'; times: TraceTimes }
  | { kind: 'analyzer'; times: TraceTimes }
  /** `missing`: the collector has no analyzer (404/501), not an analyzer that failed. */
  | { kind: 'analyzer-failed'; missing: boolean };

/** The typed arrays of `times`, to transfer rather than copy. */
export function transferables(times: TraceTimes): ArrayBuffer[] {
  return [
    times.selfTimeUs,
    times.criticalUs,
    times.sectionFrom,
    times.sectionStartUs,
    times.sectionEndUs,
  ].map((a) => a.buffer as ArrayBuffer);
}

/** Computes, posts the browser's times, then fetches and posts the analyzer's. */
export async function runTimesJob(
  request: TimesRequest,
  post: (message: TimesMessage) => void,
): Promise<void> {
  const analysis = analysisApi.trace(request.traceId);
  analysis.catch(() => {}); // handled below; the browser's times come first
  const local = computeTimes(request.graph);
  // The analyzer's times are built on a copy: the browser's arrays are transferred away.
  const fallbackSelf = Float64Array.from(local.selfTimeUs);
  post({ kind: 'browser', times: local });
  try {
    const answer = await analysis;
    post({
      kind: 'analyzer',
      times: timesFromAnalysis(request.spanIds === '' ? [] : request.spanIds.split(','), answer, {
        ...local,
        selfTimeUs: fallbackSelf,
      }),
    });
  } catch (error) {
    post({ kind: 'analyzer-failed', missing: isAnalyzerMissing(error) });
  }
}
