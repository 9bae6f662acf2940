/**
 * The common scenario of `TraceStore.summaryChanges` for stores that answer exactly (SQLite,
 * memory): new traces, a late root that moves a trace, a deletion by retention, a token
 * from elsewhere. Each store's own test adds what only it can do (other connections,
 * rebuilds, pruning).
 */
import { expect } from 'vitest';
import { makeSpan } from '../../spans/testing/index.js';
import type { TraceStore } from '../trace-store.js';
import type { SummaryChanges, TimestampRange, TraceSummarizer } from '../trace-summary.js';

/** A start time for the scenario's spans, epoch µs. */
export const CHANGES_T_US = 1_767_225_600_000_000;

/** Span `id` of trace `trace` (ids offset by `traceBase`), starting at `startUs`. */
export function changesSpan(trace: number, id: number, startUs: number, parent?: number, traceBase = 0) {
  return makeSpan({
    traceId: (traceBase + trace).toString(16).padStart(16, '0'),
    id: id.toString(16).padStart(16, '0'),
    ...(parent !== undefined ? { parentId: parent.toString(16).padStart(16, '0') } : {}),
    name: 'op',
    kind: undefined,
    tags: undefined,
    timestamp: startUs,
    duration: 100,
    localEndpoint: { serviceName: 'svc' },
  });
}

export function changedRanges(changes: SummaryChanges | undefined): TimestampRange[] | 'all' {
  expect(changes).toBeDefined();
  return (changes as SummaryChanges).changed;
}

/** Runs the scenario on an empty store that keeps summaries for `summarizer`. */
export async function runSummaryChangesScenario(
  store: Required<Pick<TraceStore, 'summaryChanges'>> & TraceStore,
  summarizer: TraceSummarizer,
): Promise<void> {
  const T_US = CHANGES_T_US;
  const span = changesSpan;
  const first = await store.summaryChanges(summarizer);
  expect(changedRanges(first)).toBe('all');
  let token = (first as SummaryChanges).token;
  const next = async (): Promise<TimestampRange[] | 'all'> => {
    const changes = await store.summaryChanges(summarizer, token);
    token = (changes as SummaryChanges).token;
    return changedRanges(changes);
  };
  expect(await next()).toEqual([]);

  await store.append([span(1, 1, T_US), span(2, 2, T_US + 500_000_000)]);
  expect(await next()).toEqual([
    { fromUs: T_US, toUs: T_US },
    { fromUs: T_US + 500_000_000, toUs: T_US + 500_000_000 },
  ]);
  expect(await next()).toEqual([]);

  // A late root 200 s earlier: trace 2 moves from its old timestamp to the new one.
  await store.append([span(2, 3, T_US + 300_000_000), span(2, 2, T_US + 500_000_000, 3)]);
  expect(await next()).toEqual([
    { fromUs: T_US + 300_000_000, toUs: T_US + 300_000_000 },
    { fromUs: T_US + 500_000_000, toUs: T_US + 500_000_000 },
  ]);

  // Retention deletes trace 1 (its newest span is the oldest).
  expect(await store.applyRetention({ maxAgeMs: 1000 }, T_US / 1000 + 100_000)).toBe(1);
  expect(await next()).toEqual([{ fromUs: T_US, toUs: T_US }]);

  // A token from the future (another store): everything may have changed.
  expect(changedRanges(await store.summaryChanges(summarizer, token + 100))).toBe('all');
}
