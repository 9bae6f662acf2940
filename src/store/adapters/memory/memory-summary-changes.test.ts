// `summaryChanges` of the in-memory store: which trace-timestamp ranges changed since a
// token (new traces, late spans, deletions), as the request-types cache asks of every store.
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../../spans/testing/index.js';
import { countingSummarizer } from '../../testing/trace-summary-contract.js';
import { KEPT_CHANGES } from '../../summary-change-ranges.js';
import type { SummaryChanges, TimestampRange } from '../../trace-summary.js';
import { MemoryTraceStore } from './memory-store.js';

const T_US = 1_767_225_600_000_000;
const span = (trace: number, id: number, startUs: number, parent?: number) =>
  makeSpan({
    traceId: trace.toString(16).padStart(16, '0'),
    id: id.toString(16).padStart(16, '0'),
    ...(parent !== undefined ? { parentId: parent.toString(16).padStart(16, '0') } : {}),
    name: 'op',
    kind: undefined,
    tags: undefined,
    timestamp: startUs,
    duration: 100,
    localEndpoint: { serviceName: 'svc' },
  });

describe('MemoryTraceStore.summaryChanges', () => {
  it('reports new traces, late spans (old and new timestamps) and deletions, once each', async () => {
    const summarizer = countingSummarizer();
    const store = new MemoryTraceStore();
    const first = await store.summaryChanges(summarizer);
    expect(first.changed).toBe('all');
    let token = first.token;
    const next = async (): Promise<TimestampRange[] | 'all'> => {
      const changes: SummaryChanges = await store.summaryChanges(summarizer, token);
      token = changes.token;
      return changes.changed;
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
    expect((await store.summaryChanges(summarizer, token + 100)).changed).toBe('all');
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
