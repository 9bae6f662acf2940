/** The analyzer's trace analysis mapped onto the model's node indices. Pure. */
import type { TraceAnalysis } from '../../api/analysis-api.js';
import type { TraceTimes } from '../../model/critical-path.js';
import type { TraceModel } from '../../model/trace-model.js';

/** Times from the analyzer; spans it did not mention keep the browser's numbers. */
export function timesFromAnalysis(
  model: TraceModel,
  analysis: TraceAnalysis,
  fallback: TraceTimes,
): TraceTimes {
  const indexOf = new Map<string, number>();
  for (const node of model.nodes) if (!indexOf.has(node.span.id)) indexOf.set(node.span.id, node.index);
  const selfTimeUs = Float64Array.from(fallback.selfTimeUs);
  for (const s of analysis.spans) {
    const i = indexOf.get(s.id);
    if (i !== undefined && Number.isFinite(s.selfTimeUs)) selfTimeUs[i] = s.selfTimeUs;
  }
  const criticalUs = new Float64Array(model.nodes.length);
  const sections = [];
  for (const p of analysis.criticalPath) {
    const i = indexOf.get(p.spanId);
    if (i === undefined) continue;
    sections.push({ index: i, startUs: p.startUs, endUs: p.endUs });
    criticalUs[i]! += p.endUs - p.startUs;
  }
  return { selfTimeUs, criticalUs, sections };
}
