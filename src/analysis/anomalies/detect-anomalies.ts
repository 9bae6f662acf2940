/**
 * `analyze anomalies`: per request type and metric, the traces above the type's baseline,
 * and for each the node of the call tree that explains it (pure over the accumulated types;
 * the culprit needs the flagged trace's spans, fetched by the caller).
 *
 * Rules: `mad` flags above median + k·1.4826·MAD (k = 3 by default), `sigma` above
 * mean + k·σ (k = 2, seed 004's rule, with every value of a metric in the same unit). A
 * spread of 0 (every value equal) is floored at 1 % of the median, so identical values do
 * not all flag each other. Types with fewer than `minCount` traces are skipped, saying so.
 */
import { medianAbsoluteDeviation, moments, quantileSorted, type FloatColumn } from '../stats/stats.js';
import type { TypeAccumulator } from '../types/type-accumulator.js';

export type AnomalyMetric = 'duration' | 'cpu' | 'memory';
export const ANOMALY_METRICS: readonly AnomalyMetric[] = ['duration', 'cpu', 'memory'];
export type AnomalyMethod = 'mad' | 'sigma';

/** The consistency constant that makes the MAD estimate σ for normal data. */
const MAD_SCALE = 1.4826;

export interface AnomalyOptions {
  /** @default 'mad' */
  method?: AnomalyMethod;
  /** @default 3 for mad, 2 for sigma */
  k?: number;
  /** @default every metric */
  metrics?: readonly AnomalyMetric[];
  /** Types with fewer traces are skipped. @default 20 */
  minCount?: number;
}

/** A type's baseline for one metric, in the metric's unit (ms, ms, KB). */
export interface Baseline {
  median: number;
  mad: number;
  mean: number;
  std: number;
  n: number;
}

/** A flagged trace before its culprit is known. */
export interface Flagged {
  traceId: string;
  type: string;
  metric: AnomalyMetric;
  value: number;
  baseline: Baseline;
  threshold: number;
  /** How far past the threshold, in units of the spread: the ranking. */
  severity: number;
}

export interface Skipped {
  type: string;
  count: number;
  reason: string;
}

/** The column of a metric of a type and its scale to the metric's unit (µs → ms for duration). */
export function metricColumn(
  type: TypeAccumulator,
  metric: AnomalyMetric,
): { column: FloatColumn; scale: number } {
  if (metric === 'duration') return { column: type.durationUs, scale: 0.001 };
  return { column: metric === 'cpu' ? type.cpuMs : type.peakMemKb, scale: 1 };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** The baseline of ascending `sorted`, scaled to the metric's unit. */
export function baselineOf(sorted: Float64Array, scale = 1): Baseline {
  const median = quantileSorted(sorted, 0.5);
  const { mean, std } = moments(sorted);
  return {
    median: round(median * scale),
    mad: round(medianAbsoluteDeviation(sorted, median) * scale),
    mean: round(mean * scale),
    std: round(std * scale),
    n: sorted.length,
  };
}

/** The threshold and the spread it is measured in. */
export function thresholdOf(
  baseline: Baseline,
  method: AnomalyMethod,
  k: number,
): { threshold: number; spread: number } {
  const center = method === 'mad' ? baseline.median : baseline.mean;
  const raw = method === 'mad' ? MAD_SCALE * baseline.mad : baseline.std;
  const spread = raw > 0 ? raw : Math.abs(center) * 0.01;
  return { threshold: center + k * spread, spread };
}

/** Every trace above its type's threshold, most severe first, and the types skipped. */
export function flagAnomalies(
  types: Iterable<TypeAccumulator>,
  options: AnomalyOptions = {},
): { flagged: Flagged[]; skipped: Skipped[] } {
  const method = options.method ?? 'mad';
  const k = options.k ?? (method === 'mad' ? 3 : 2);
  const metrics = options.metrics ?? ANOMALY_METRICS;
  const minCount = options.minCount ?? 20;
  const flagged: Flagged[] = [];
  const skipped: Skipped[] = [];
  for (const type of types) {
    if (type.count < minCount) {
      skipped.push({ type: type.key, count: type.count, reason: `fewer than ${minCount} traces` });
      continue;
    }
    for (const metric of metrics) {
      const { column, scale } = metricColumn(type, metric);
      const baseline = baselineOf(column.sorted(), scale);
      const { threshold, spread } = thresholdOf(baseline, method, k);
      const values = column.values();
      for (let i = 0; i < values.length; i++) {
        const value = (values[i] as number) * scale;
        if (!(value > threshold)) continue;
        flagged.push({
          traceId: type.traceIds[i] as string,
          type: type.key,
          metric,
          value: round(value),
          baseline,
          threshold: round(threshold),
          severity: spread > 0 ? (value - threshold) / spread : value,
        });
      }
    }
  }
  flagged.sort((a, b) => b.severity - a.severity || (a.traceId < b.traceId ? -1 : 1));
  skipped.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return { flagged, skipped };
}
