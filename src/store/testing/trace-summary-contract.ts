/**
 * The contract of `TraceStore.summarizeTraces`, run by every adapter (through
 * `runTraceStoreContract`, with no kept summarizer) and by adapters that keep summaries
 * (`kept: true`, with `make({ summarizer })`). Only the port is used.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { makeSpan } from '../../spans/testing/index.js';
import type { TraceStore } from '../trace-store.js';
import type { SummaryQuery, TraceSummarizer, TraceSummary } from '../trace-summary.js';

const NOW_MS = 1_767_225_600_000;
const NOW_US = NOW_MS * 1000;
const HOUR_MS = 3_600_000;

/** Opens a fresh, empty store; `summarizer`, when given, is the one the store keeps. */
export type OpenWithSummarizer = (options: { summarizer?: TraceSummarizer }) => Promise<TraceStore>;

/**
 * A summarizer that counts its calls. group: the root's service; data: the span ids in the
 * order given, then the number of spans.
 */
export function countingSummarizer(version = 'test-1'): TraceSummarizer & { calls: number } {
  const summarizer = {
    version,
    calls: 0,
    summarize(spans: readonly Span[]) {
      summarizer.calls += 1;
      const root = spans.find((s) => s.parentId === undefined) ?? spans[0];
      return {
        group: root?.localEndpoint?.serviceName ?? '',
        data: `${spans.map((s) => s.id).join(',')}|${spans.length}`,
      };
    },
  };
  return summarizer;
}

/** What the suite's spans share, as overrides of the one span factory. */
const SUITE_SPAN = {
  name: 'op',
  duration: 100,
  localEndpoint: { serviceName: 'Svc' },
  kind: undefined,
  tags: undefined,
} satisfies Partial<Span>;

async function collect(
  store: TraceStore,
  summarizer: TraceSummarizer,
  query: Partial<SummaryQuery> = {},
): Promise<TraceSummary[]> {
  const out: TraceSummary[] = [];
  const full = { endTsMs: NOW_MS, lookbackMs: 24 * HOUR_MS, ...query };
  for await (const page of store.summarizeTraces(full, summarizer)) out.push(...page);
  return out;
}

const id = (n: number): string => (0xf100 + n).toString(16).padStart(16, '0');

/** One run of the summaries contract, shaped as `TraceStoreContract`. */
export interface TraceSummaryContract {
  /** Names the adapter (and its mode) in the report. */
  name: string;
  /** A fresh, empty store for each test. */
  make: OpenWithSummarizer;
  /** Whether the store keeps summaries (made with the suite's counting summarizer). */
  kept: boolean;
  /** Why the suite cannot run here (a part it needs is missing); it runs when undefined. */
  skip?: string | undefined;
}

export function runTraceSummaryContract({ name, make, kept, skip }: TraceSummaryContract): void {
  const title = `TraceStore summaries contract: ${name}${skip === undefined ? '' : ` (skipped: ${skip})`}`;
  describe.skipIf(skip !== undefined)(title, () => {
    const summarizer = countingSummarizer();
    let store: TraceStore | undefined;
    const openStore = async (): Promise<TraceStore> => {
      store = await make(kept ? { summarizer } : {});
      return store;
    };
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('summarises each trace of the window once, newest first, from its merged spans', async () => {
      const s = await openStore();
      // Trace 0 (oldest) .. 4 (newest); trace 5 is outside the window, two days ago.
      const spans = [0, 1, 2, 3, 4].flatMap((n) => [
        makeSpan({
          ...SUITE_SPAN,
          traceId: id(n),
          id: '02',
          timestamp: NOW_US - (10 - n) * 60_000_000 + 5,
          parentId: '01',
          localEndpoint: { serviceName: 'child' },
        }),
        makeSpan({ ...SUITE_SPAN, traceId: id(n), id: '01', timestamp: NOW_US - (10 - n) * 60_000_000 }),
      ]);
      spans.push(
        makeSpan({ ...SUITE_SPAN, traceId: id(5), id: '01', timestamp: NOW_US - 48 * HOUR_MS * 1000 }),
      );
      // Trace 2's root is reported twice: the store merges it.
      spans.push(
        makeSpan({
          ...SUITE_SPAN,
          traceId: id(2),
          id: '01',
          timestamp: NOW_US - 8 * 60_000_000,
          tags: { again: '1' },
        }),
      );
      await s.append(spans);
      const summaries = await collect(s, summarizer);
      expect(summaries.map((x) => x.traceId)).toEqual([id(4), id(3), id(2), id(1), id(0)]);
      expect(summaries.map((x) => x.data)).toEqual(Array.from({ length: 5 }, () => '01,02|2'));
      expect(summaries.every((x) => x.group === 'svc')).toBe(true);
      expect(summaries[0]?.timestampUs).toBe(NOW_US - 6 * 60_000_000);
    });

    it('honours limit (the newest) and an empty window', async () => {
      const s = await openStore();
      await s.append(
        [0, 1, 2, 3].map((n) =>
          makeSpan({ ...SUITE_SPAN, traceId: id(n), id: '01', timestamp: NOW_US - (10 - n) * 1_000_000 }),
        ),
      );
      expect((await collect(s, summarizer, { limit: 2 })).map((x) => x.traceId)).toEqual([id(3), id(2)]);
      expect(await collect(s, summarizer, { endTsMs: NOW_MS - 20_000, lookbackMs: 1000 })).toEqual([]);
    });

    it('reflects spans appended after a trace was summarised', async () => {
      const s = await openStore();
      await s.append([makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '01', timestamp: NOW_US - 1_000_000 })]);
      expect((await collect(s, summarizer)).map((x) => x.data)).toEqual(['01|1']);
      await s.append([
        makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '02', timestamp: NOW_US - 999_000, parentId: '01' }),
      ]);
      await s.append([makeSpan({ ...SUITE_SPAN, traceId: id(2), id: '01', timestamp: NOW_US - 500_000 })]);
      expect((await collect(s, summarizer)).map((x) => `${x.traceId} ${x.data}`)).toEqual([
        `${id(2)} 01|1`,
        `${id(1)} 01,02|2`,
      ]);
    });

    it('a late root moves the trace to its own timestamp', async () => {
      const s = await openStore();
      await s.append([
        makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '02', timestamp: NOW_US - 1_000_000, parentId: '01' }),
      ]);
      expect((await collect(s, summarizer)).map((x) => x.timestampUs)).toEqual([NOW_US - 1_000_000]);
      await s.append([makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '01', timestamp: NOW_US - 3_000_000 })]);
      const after = await collect(s, summarizer);
      expect(after.map((x) => [x.timestampUs, x.data])).toEqual([[NOW_US - 3_000_000, '01,02|2']]);
    });

    it('runs another summarizer on the traces, not the kept summaries', async () => {
      const s = await openStore();
      await s.append([makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '01', timestamp: NOW_US - 1_000_000 })]);
      await collect(s, summarizer);
      const other = {
        version: 'other',
        summarize: (spans: readonly Span[]) => ({ group: 'g', data: String(spans.length * 10) }),
      };
      expect((await collect(s, other)).map((x) => x.data)).toEqual(['10']);
    });

    it('forgets the summaries of traces removed by retention', async () => {
      const s = await openStore();
      await s.append([
        makeSpan({ ...SUITE_SPAN, traceId: id(1), id: '01', timestamp: NOW_US - 3 * HOUR_MS * 1000 }),
        makeSpan({ ...SUITE_SPAN, traceId: id(2), id: '01', timestamp: NOW_US - 1000 }),
      ]);
      expect((await collect(s, summarizer)).length).toBe(2);
      await s.applyRetention({ maxAgeMs: 2 * HOUR_MS }, NOW_MS);
      expect((await collect(s, summarizer)).map((x) => x.traceId)).toEqual([id(2)]);
      await s.append([makeSpan({ ...SUITE_SPAN, traceId: id(3), id: '01', timestamp: NOW_US - 500 })]);
      expect((await collect(s, summarizer)).map((x) => x.traceId)).toEqual([id(3), id(2)]);
    });
  });
}
