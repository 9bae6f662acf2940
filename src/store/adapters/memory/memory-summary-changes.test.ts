// `summaryChanges` of the in-memory store: which trace-timestamp ranges changed since a
// token (new traces, late spans, deletions), as the request-types cache asks of every store.
import { describe, expect, it } from 'vitest';
import { KEPT_CHANGES } from '../../summary-change-ranges.js';
import {
  CHANGES_T_US as T_US,
  changesSpan as span,
  runSummaryChangesScenario,
} from '../../testing/summary-changes-scenario.js';
import { countingSummarizer } from '../../testing/trace-summary-contract.js';
import { MemoryTraceStore } from './memory-store.js';

describe('MemoryTraceStore.summaryChanges', () => {
  it('reports new traces, late spans (old and new timestamps) and deletions, once each', async () => {
    const summarizer = countingSummarizer();
    const store = new MemoryTraceStore();
    await runSummaryChangesScenario(store, summarizer);
    // Summaries are computed on demand for any summarizer, so any is answered.
    expect((await store.summaryChanges(countingSummarizer('other'))).changed).toBe('all');
    await store.close();
  });

  it("tells a reader behind the kept changes 'all'", async () => {
    const summarizer = countingSummarizer();
    const store = new MemoryTraceStore();
    const { token } = await store.summaryChanges(summarizer);
    const spans = Array.from({ length: 2 * KEPT_CHANGES + 1 }, (_, i) => span(i + 1, 1, T_US + i));
    await store.append(spans);
    expect((await store.summaryChanges(summarizer, token)).changed).toBe('all');
    const recent = await store.summaryChanges(summarizer);
    await store.append([span(1, 2, T_US - 90_000_000, 1)]);
    expect((await store.summaryChanges(summarizer, recent.token)).changed).toEqual([
      { fromUs: T_US, toUs: T_US },
    ]);
  });
});
