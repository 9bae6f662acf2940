/**
 * The trace-timestamp ranges a store's change log of kept summaries records
 * (`TraceStore.summaryChanges`), shared by the SQLite and PostgreSQL stores. Pure.
 */
import type { TimestampRange } from './trace-summary.js';

/** Every timestamp: logged when the summaries were rebuilt (a new summarizer version). */
export const ALL_TIMESTAMPS: TimestampRange = {
  fromUs: -Number.MAX_SAFE_INTEGER,
  toUs: Number.MAX_SAFE_INTEGER,
};

/** Timestamps closer than this (µs) are logged as one range: one row per burst of traces. */
export const CHANGE_GAP_US = 60_000_000;

/** Change-log entries kept for readers behind; one further behind is told `'all'`. */
export const KEPT_CHANGES = 10_000;

/** Pure: sorted timestamps as ranges, neighbours closer than `gapUs` merged. */
export function coalesceTimestamps(timestampsUs: readonly number[], gapUs: number): TimestampRange[] {
  const sorted = [...timestampsUs].sort((a, b) => a - b);
  const ranges: TimestampRange[] = [];
  for (const ts of sorted) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && ts - last.toUs <= gapUs) last.toUs = ts;
    else ranges.push({ fromUs: ts, toUs: ts });
  }
  return ranges;
}
