/** HdrHistogram wrapper: microsecond values, 3 significant digits, percentiles out. */
import * as hdr from 'hdr-histogram-js';

export interface Percentiles {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LatencyHistogram {
  record(valueUs: number): void;
  percentiles(): Percentiles;
}

/** Values are clamped to [1 µs, 1 hour] (HdrHistogram needs a bounded positive range). */
export function createLatencyHistogram(): LatencyHistogram {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  return {
    record(valueUs) {
      histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(valueUs))));
    },
    percentiles() {
      const count = histogram.totalCount;
      if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
      const min = histogram.minNonZeroValue;
      const max = histogram.maxValue;
      // A percentile is the top of its bucket (HdrHistogram's highest equivalent value), which
      // can lie above the largest value recorded: never print a p99 above the max.
      const at = (percentile: number): number =>
        Math.min(max, Math.max(min, histogram.getValueAtPercentile(percentile)));
      return {
        count,
        min,
        mean: Math.round(histogram.mean),
        p50: at(50),
        p90: at(90),
        p99: at(99),
        p999: at(99.9),
        max,
      };
    },
  };
}
