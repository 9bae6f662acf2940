/** Empirical CDFs of latency samples, for plots and tables. Pure. */

/** One point of a CDF: the share of samples at or below `valueMs`. */
export interface CdfPoint {
  valueMs: number;
  /** 0..1 */
  fraction: number;
}

/**
 * Pure: the empirical CDF of `samplesMs`, at most `maxPoints` points (evenly spaced in rank,
 * always including the minimum and the maximum). Does not mutate its input.
 * @default maxPoints 200
 */
export function empiricalCdf(samplesMs: readonly number[], maxPoints = 200): CdfPoint[] {
  const sorted = samplesMs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const step = Math.max(1, (n - 1) / Math.max(1, maxPoints - 1));
  const points: CdfPoint[] = [];
  for (let rank = 0; rank < n; rank += step) {
    const i = Math.min(n - 1, Math.round(rank));
    points.push({ valueMs: sorted[i] ?? 0, fraction: (i + 1) / n });
  }
  const last = points[points.length - 1];
  if (last === undefined || last.fraction < 1) points.push({ valueMs: sorted[n - 1] ?? 0, fraction: 1 });
  return points;
}

/** Pure: the `p`-th percentile (0..100) by nearest rank; NaN for no samples. */
export function percentile(samplesMs: readonly number[], p: number): number {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}
