// `summaryChanges` of the SQLite store: which trace-timestamp ranges of the kept summaries
// changed since a token, as catch-ups and deletions record them in the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CHANGES_T_US,
  changedRanges,
  changesSpan,
  runSummaryChangesScenario,
} from '../../testing/summary-changes-scenario.js';
import { countingSummarizer } from '../../testing/trace-summary-contract.js';
import type { SummaryChanges } from '../../trace-summary.js';
import { SqliteTraceStore } from './sqlite-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-summary-changes-'));
let counter = 0;
const freshDir = (): string => path.join(root, `db-${counter++}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T_US = CHANGES_T_US;
const span = changesSpan;
const ranges = changedRanges;

describe('SqliteTraceStore.summaryChanges', () => {
  it('reports new traces, late spans (old and new timestamps) and deletions, once each', async () => {
    const summarizer = countingSummarizer();
    const store = await SqliteTraceStore.open({ dataDir: freshDir(), writer: 'inline', summarizer });
    try {
      await runSummaryChangesScenario(store, summarizer);
      // No summaries kept for another summarizer: a cache cannot be told.
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
