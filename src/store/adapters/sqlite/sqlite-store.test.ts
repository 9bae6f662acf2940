import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME, SqliteTraceStore } from './sqlite-store.js';
import { makeSpan } from '../../../spans/testing/index.js';
import { runTraceStoreContract, SUITE_SPAN, NOW_MS } from '../../testing/trace-store-contract.js';
import { countingSummarizer, runTraceSummaryContract } from '../../testing/trace-summary-contract.js';
import type { TraceStore } from '../../trace-store.js';
import type { TraceSummarizer } from '../../trace-summary.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-sqlite-store-'));
let counter = 0;
const freshDir = (): string => path.join(root, `db-${counter++}`);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

runTraceStoreContract({
  name: 'sqlite (writer thread)',
  make: () => SqliteTraceStore.open({ dataDir: freshDir(), writer: 'thread' }),
});
runTraceStoreContract({
  name: 'sqlite (inline writer)',
  make: () => SqliteTraceStore.open({ dataDir: freshDir(), writer: 'inline' }),
});
runTraceStoreContract({
  name: 'sqlite (inline writer and checkpoints)',
  make: () => SqliteTraceStore.open({ dataDir: freshDir(), writer: 'inline', checkpoint: 'inline' }),
});

runTraceSummaryContract({
  name: 'sqlite (kept summaries)',
  make: ({ summarizer }) => SqliteTraceStore.open({ dataDir: freshDir(), writer: 'inline', summarizer }),
  kept: true,
});
runTraceSummaryContract({
  name: 'sqlite (kept summaries, writer thread)',
  make: ({ summarizer }) => SqliteTraceStore.open({ dataDir: freshDir(), writer: 'thread', summarizer }),
  kept: true,
});

async function summaryCount(store: TraceStore, summarizer: TraceSummarizer): Promise<number> {
  let n = 0;
  for await (const page of store.summarizeTraces({ endTsMs: NOW_MS, lookbackMs: 86_400_000 }, summarizer)) {
    n += page.length;
  }
  return n;
}

describe('SqliteTraceStore kept summaries', () => {
  const spans = Array.from({ length: 40 }, (_, i) =>
    makeSpan({
      ...SUITE_SPAN,
      traceId: (0xa100 + (i % 20)).toString(16).padStart(16, '0'),
      id: (i + 1).toString(16),
    }),
  );

  it('computes them after ingest, without a reader asking, each trace once', async () => {
    const summarizer = countingSummarizer();
    const store = await SqliteTraceStore.open({ dataDir: freshDir(), summarizer, summaryDelayMs: 5 });
    try {
      await store.append(spans);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(summarizer.calls).toBe(20);
      expect(await summaryCount(store, summarizer)).toBe(20);
      expect(summarizer.calls).toBe(20);
    } finally {
      await store.close();
    }
  });

  it('keeps them across reopen, catches up on spans written without them, restarts on a new version', async () => {
    const dataDir = freshDir();
    const first = countingSummarizer('v1');
    const store = await SqliteTraceStore.open({ dataDir, summarizer: first });
    await store.append(spans.slice(0, 20));
    await store.close();
    expect(first.calls).toBe(20);

    const plain = await SqliteTraceStore.open({ dataDir });
    await plain.append(spans.slice(20));
    await plain.close();

    const again = countingSummarizer('v1');
    const reopened = await SqliteTraceStore.open({ dataDir, summarizer: again, summaryDelayMs: 60_000 });
    expect(await summaryCount(reopened, again)).toBe(20);
    expect(again.calls).toBe(20);
    await reopened.close();

    const next = countingSummarizer('v2');
    const upgraded = await SqliteTraceStore.open({ dataDir, summarizer: next, summaryDelayMs: 60_000 });
    try {
      expect(await summaryCount(upgraded, next)).toBe(20);
      expect(next.calls).toBe(20);
    } finally {
      await upgraded.close();
    }
  });
});

describe('SqliteTraceStore', () => {
  it('keeps spans, counters and autocomplete across close and reopen', async () => {
    const dataDir = freshDir();
    const store = await SqliteTraceStore.open({ dataDir, writer: 'thread' });
    const spans = Array.from({ length: 250 }, (_, i) =>
      makeSpan({
        ...SUITE_SPAN,
        traceId: (0xe000 + (i % 25)).toString(16).padStart(16, '0'),
        id: (i + 1).toString(16).padStart(16, '0'),
        tags: { 'http.status_code': String(200 + (i % 3)) },
        localEndpoint: { serviceName: `svc-${i % 4}` },
      }),
    );
    await Promise.all([store.append(spans.slice(0, 100)), store.append(spans.slice(100))]);
    await store.close();

    const reopened = await SqliteTraceStore.open({ dataDir });
    try {
      expect((await reopened.stats()).spanCount).toBe(250);
      expect((await reopened.getTrace((0xe000).toString(16).padStart(16, '0'))).length).toBe(10);
      expect(await reopened.serviceNames()).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-3']);
      expect(await reopened.autocompleteValues('http.status_code')).toEqual(['200', '201', '202']);
      await reopened.append([
        makeSpan({
          ...SUITE_SPAN,
          traceId: 'f000000000000001',
          id: '01',
          localEndpoint: { serviceName: 'svc-0' },
        }),
      ]);
      expect(await reopened.serviceNames()).toEqual(['svc-0', 'svc-1', 'svc-2', 'svc-3']);
      expect(
        (
          await reopened.findTraces({
            serviceName: 'svc-0',
            endTsMs: NOW_MS,
            lookbackMs: 3_600_000,
            limit: 100,
          })
        ).length,
      ).toBe(26);
    } finally {
      await reopened.close();
    }
  });

  it('rejects appends after close', async () => {
    const store = await SqliteTraceStore.open({ dataDir: freshDir() });
    await store.close();
    await expect(
      store.append([makeSpan({ ...SUITE_SPAN, traceId: 'f000000000000001', id: '01' })]),
    ).rejects.toThrow(/closed/);
  });

  it.each(['thread', 'inline'] as const)(
    'with %s checkpoints, close leaves every span in the database file and no WAL',
    async (checkpoint) => {
      const dataDir = freshDir();
      const store = await SqliteTraceStore.open({ dataDir, writer: 'inline', checkpoint });
      const spans = Array.from({ length: 300 }, (_, i) =>
        makeSpan({
          ...SUITE_SPAN,
          traceId: (0xc000 + (i % 30)).toString(16).padStart(16, '0'),
          id: (i + 1).toString(16),
        }),
      );
      await Promise.all([store.append(spans.slice(0, 150)), store.append(spans.slice(150))]);
      await store.close();
      expect(existsSync(path.join(dataDir, `${SQLITE_FILE_NAME}-wal`))).toBe(false);
      const reopened = await SqliteTraceStore.open({ dataDir });
      try {
        expect((await reopened.stats()).spanCount).toBe(300);
        expect(await reopened.getTrace('000000000000c007')).toHaveLength(10);
      } finally {
        await reopened.close();
      }
    },
  );

  it('falls back to inline checkpoints when the checkpoint worker is not built', async () => {
    const store = await SqliteTraceStore.open({
      dataDir: freshDir(),
      checkpointWorkerFile: path.join(root, 'missing-worker.js'),
    });
    try {
      await store.append([makeSpan({ ...SUITE_SPAN, traceId: 'f000000000000002', id: '0000000000000002' })]);
      expect(await store.getTrace('f000000000000002')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
