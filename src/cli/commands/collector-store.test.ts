/**
 * The store `hivelab collector` / `hivelab up` open keeps the analyzer's summaries at ingest
 * (as `startCollector`'s own store does), so `/api/hivelab/*` read a row per trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { createTraceSummarizer } from '../../analysis/index.js';
import { openStoreFlag } from './collector.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-collector-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('opens SQLite keeping the default summarizer', async () => {
  const { store, shown } = await openStoreFlag(undefined, root);
  expect(shown).toBe(path.join(root, 'traces.sqlite'));
  const nowUs = Date.now() * 1000;
  await store.append([
    { traceId: 'aa00000000000001', id: '0000000000000001', name: 'get', timestamp: nowUs, duration: 5 },
  ]);
  const summaries = [];
  for await (const page of store.summarizeTraces(
    { endTsMs: Date.now() + 1000, lookbackMs: 60_000 },
    createTraceSummarizer(),
  )) {
    summaries.push(...page);
  }
  await store.close();
  expect(summaries.map((s) => s.traceId)).toEqual(['aa00000000000001']);
  // Read from the kept table, not computed on the fly.
  const db = new Database(path.join(root, 'traces.sqlite'), { readonly: true });
  try {
    expect(db.prepare('SELECT count(*) FROM summaries').pluck().get()).toBe(1);
    expect(db.prepare("SELECT value FROM summary_state WHERE key = 'version'").pluck().get()).toBe(
      createTraceSummarizer().version,
    );
  } finally {
    db.close();
  }
});
