// `summaryChanges` of the SQLite store: which trace-timestamp ranges of the kept summaries
// changed since a token, as catch-ups and deletions record them in the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSpan } from '../../../spans/testing/index.js';
import { countingSummarizer } from '../../testing/trace-summary-contract.js';
import type { SummaryChanges, TimestampRange } from '../../trace-summary.js';
import { SqliteTraceStore } from './sqlite-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-summary-changes-'));
let counter = 0;
const freshDir = (): string => path.join(root, `db-${counter++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

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

function ranges(changes: SummaryChanges | undefined): TimestampRange[] | 'all' {
  expect(changes).toBeDefined();
  return (changes as SummaryChanges).changed;
}

describe('SqliteTraceStore.summaryChanges', () => {
  it('reports new traces, late spans (old and new timestamps) and deletions, once each', async () => {
    const summarizer = countingSummarizer();
    const store = await SqliteTraceStore.open({ dataDir: freshDir(), writer: 'inline', summarizer });
    try {
      const first = await store.summaryChanges(summarizer);
      expect(ranges(first)).toBe('all');
      let token = (first as SummaryChanges).token;
      const next = async (): Promise<TimestampRange[] | 'all'> => {
        const changes = await store.summaryChanges(summarizer, token);
        token = (changes as SummaryChanges).token;
        return ranges(changes);
      };
      expect(await next()).toEqual([]);

      await store.append([span(1, 1, T_US), span(2, 2, T_US + 500_000_000)]);
      expect(await next()).toEqual([
        { fromUs: T_US, toUs: T_US },
        { fromUs: T_US + 500_000_000, toUs: T_US + 500_000_000 },
      ]);
      expect(await next()).toEqual([]);

      // A late root 200 s earlier: trace 2's row moves from its old timestamp to the new one.
      await store.append([span(2, 3, T_US + 300_000_000), span(2, 2, T_US + 500_000_000, 3)]);
      expect(await next()).toEqual([
        { fromUs: T_US + 300_000_000, toUs: T_US + 300_000_000 },
        { fromUs: T_US + 500_000_000, toUs: T_US + 500_000_000 },
      ]);

      // Retention deletes trace 1 (its newest span is the oldest).
      expect(await store.applyRetention({ maxAgeMs: 1000 }, T_US / 1000 + 100_000)).toBe(1);
      expect(await next()).toEqual([{ fromUs: T_US, toUs: T_US }]);

      // A token from the future (another file) or no summaries for this summarizer.
      expect(ranges(await store.summaryChanges(summarizer, token + 100))).toBe('all');
      expect(await store.summaryChanges(countingSummarizer('other'))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('hears of changes another connection to the file made', async () => {
    const dataDir = freshDir();
    const summarizer = countingSummarizer();
    const ours = await SqliteTraceStore.open({
      dataDir,
      writer: 'inline',
      summarizer,
      summaryDelayMs: 60_000,
    });
    const theirs = await SqliteTraceStore.open({ dataDir, writer: 'inline', summarizer });
    try {
      const { token } = (await ours.summaryChanges(summarizer)) as SummaryChanges;
      await theirs.append([span(7, 1, T_US + 42)]);
      await theirs.summaryChanges(summarizer);
      expect(ranges(await ours.summaryChanges(summarizer, token))).toEqual([
        { fromUs: T_US + 42, toUs: T_US + 42 },
      ]);
    } finally {
      await theirs.close();
      await ours.close();
    }
  });

  it('starts over ("all") when the summaries are rebuilt for a new summarizer version', async () => {
    const dataDir = freshDir();
    const old = countingSummarizer('v1');
    const store = await SqliteTraceStore.open({ dataDir, writer: 'inline', summarizer: old });
    await store.append([span(9, 1, T_US)]);
    const { token } = (await store.summaryChanges(old)) as SummaryChanges;
    await store.close();
    const next = countingSummarizer('v2');
    const reopened = await SqliteTraceStore.open({ dataDir, writer: 'inline', summarizer: next });
    try {
      const changed = ranges(await reopened.summaryChanges(next, token));
      expect(changed).not.toBe('all');
      expect(changed).toContainEqual({ fromUs: -Number.MAX_SAFE_INTEGER, toUs: Number.MAX_SAFE_INTEGER });
    } finally {
      await reopened.close();
    }
  });
});
