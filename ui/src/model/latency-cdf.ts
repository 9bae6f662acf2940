/** A run's latency histogram as a CDF, and several runs on one x axis for overlaying. Pure. */

export interface Bucket {
  upperUs: number;
  count: number;
}

/** Cumulative fraction at each bucket's upper bound. */
export function cdf(histogram: readonly Bucket[]): { xMs: number[]; y: number[] } {
  const total = histogram.reduce((s, b) => s + b.count, 0);
  const xMs: number[] = [];
  const y: number[] = [];
  let seen = 0;
  for (const b of [...histogram].sort((a, c) => a.upperUs - c.upperUs)) {
    seen += b.count;
    xMs.push(b.upperUs / 1000);
    y.push(total > 0 ? seen / total : 0);
  }
  return { xMs, y };
}

/**
 * Several series on the union of their x values (uPlot's aligned data): a CDF holds its
 * last value between its points; a histogram has null where a run has no bucket.
 */
export function alignSeries(
  series: readonly { xMs: number[]; y: number[] }[],
  hold: boolean,
): [number[], ...(number | null)[][]] {
  const xs = [...new Set(series.flatMap((s) => s.xMs))].sort((a, b) => a - b);
  const out: (number | null)[][] = series.map((s) => {
    const at = new Map(s.xMs.map((x, i) => [x, s.y[i]!]));
    let last = 0;
    return xs.map((x) => {
      const v = at.get(x);
      if (v !== undefined) last = v;
      return v !== undefined ? v : hold ? last : null;
    });
  });
  return [xs, ...out];
}
