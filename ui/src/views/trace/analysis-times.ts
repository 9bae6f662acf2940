/** The analyzer's trace analysis mapped onto the model's node indices. Pure. */
import type { TraceAnalysis } from '../../api/analysis-api.js';
import { timesFromSections, type CriticalSection, type TraceTimes } from '../../model/critical-path.js';

/**
 * Times from the analyzer for the nodes whose span ids are `spanIds` (by node index); spans
 * it did not mention keep the browser's self time.
 */
export function timesFromAnalysis(
  spanIds: readonly string[],
  analysis: TraceAnalysis,
  fallback: TraceTimes,
): TraceTimes {
  const indexOf = new Map<string, number>();
  spanIds.forEach((id, i) => {
    if (!indexOf.has(id)) indexOf.set(id, i);
  });
  const selfTimeUs = Float64Array.from(fallback.selfTimeUs);
  for (const s of analysis.spans) {
    const i = indexOf.get(s.id);
    if (i !== undefined && Number.isFinite(s.selfTimeUs)) selfTimeUs[i] = s.selfTimeUs;
  }
  const criticalUs = new Float64Array(spanIds.length);
  const sections: CriticalSection[] = [];
  for (const p of analysis.criticalPath) {
    const i = indexOf.get(p.spanId);
    if (i === undefined) continue;
    sections.push({ index: i, startUs: p.startUs, endUs: p.endUs });
    criticalUs[i]! += p.endUs - p.startUs;
  }
  return timesFromSections(selfTimeUs, criticalUs, sections);
}
