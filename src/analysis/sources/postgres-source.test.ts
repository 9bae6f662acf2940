/**
 * `analyze … --store postgres://…`: the analyzer reads a PostgreSQL store directly, from the
 * summaries a collector on that database kept at ingest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { encodeZipkinJson } from '../../spans/index.js';
import { PostgresTraceStore } from '../../store/index.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  type TestDatabase,
} from '../../store/testing/index.js';
import { createTraceSummarizer } from '../summary/trace-summarizer.js';
import { analyzeTypes } from '../run-analysis.js';
import { syntheticTrace } from '../testing/synthetic-traces.js';
import { openSource } from './open-source.js';

const NOW_US = Date.now() * 1000;
const START_US = NOW_US - 100_000_000;
const traces = Array.from({ length: 30 }, (_, i) => syntheticTrace(i, START_US + i * 3_000_000));
const TYPE = 'gw:get /x → [auth:check, db:query]';

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('analyzer source: --store postgres://'), () => {
  let db: TestDatabase;
  let collector: RunningCollector;
  beforeAll(async () => {
    db = await createTestDatabase();
    const store = await PostgresTraceStore.open({ url: db.url, summarizer: createTraceSummarizer() });
    collector = await startCollector({ port: 0, otlpPort: null, store, log: () => {} });
    const response = await fetch(`${collector.url}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encodeZipkinJson(traces.flat()),
    });
    expect(response.status).toBe(202);
  });
  afterAll(async () => {
    await collector?.close();
    await db?.drop();
  });

  it('reads the request types of the traces the collector stored', async () => {
    const source = await openSource({ store: db.url });
    try {
      expect(source.description).toMatch(/^the store at postgres:\/\/hivelab_test:\*+@/);
      const report = await analyzeTypes(source, { window: { startUs: START_US - 1, endUs: NOW_US } });
      expect(report.types.map((t) => [t.key, t.count])).toEqual([[TYPE, 30]]);
    } finally {
      await source.close();
    }
  });

  it('refuses a --store that is not a PostgreSQL URL, and two sources at once', async () => {
    await expect(openSource({ store: 'sqlite' })).rejects.toThrow(/--store: expected a postgres:\/\/ URL/);
    await expect(openSource({ store: db.url, data: '/tmp' })).rejects.toThrow(/give one source/);
  });
});
