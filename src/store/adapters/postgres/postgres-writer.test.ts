import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../spans/index.js';
import { PostgresTraceStore } from './postgres-store.js';
import { SINGLE_STATEMENT_MAX_SPANS } from './postgres-writer.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  resetTestDatabase,
  type TestDatabase,
} from './testing/pg-test-database.js';

const NOW_US = Date.now() * 1000;

/** Spans of one trace whose text needs every kind of escaping COPY and arrays have. */
function awkwardTrace(traceId: string, count: number): Span[] {
  return Array.from({ length: count }, (_, i) => ({
    traceId,
    id: (i + 1).toString(16).padStart(16, '0'),
    ...(i > 0 ? { parentId: '0000000000000001' } : {}),
    name: `op ${i % 3} \\ "q" \t tab, {brace} ü`,
    kind: i === 0 ? 'SERVER' : 'CLIENT',
    timestamp: NOW_US - 60_000_000 + i,
    ...(i % 7 === 0 ? {} : { duration: 100 + i }),
    localEndpoint: { serviceName: i % 2 === 0 ? 'Svc\\A' : 'svc,"b"' },
    ...(i % 5 === 1 ? { remoteEndpoint: { serviceName: 'db\tmain' } } : {}),
    tags: { 'http.path': `/x/${i % 4}`, 'note\\key': 'line\nbreak' },
  }));
}

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('PgSpanWriter'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('writes a small commit (one statement) and a large one (COPY) alike', async () => {
    await resetTestDatabase(db.url);
    const store = await PostgresTraceStore.open({ url: db.url });
    try {
      const small = awkwardTrace('aa'.repeat(16), 10);
      const large = awkwardTrace('bb'.repeat(16), SINGLE_STATEMENT_MAX_SPANS + 5);
      await store.append(small);
      await store.append(large);
      const lower = (spans: Span[]): Span[] =>
        spans.map((s) => ({
          ...s,
          name: s.name!.toLowerCase(),
          localEndpoint: { serviceName: s.localEndpoint!.serviceName!.toLowerCase() },
        }));
      for (const trace of [small, large]) {
        const read = await store.getTrace(trace[0]!.traceId);
        expect(read).toEqual(
          lower(trace).sort((a, b) => a.timestamp! - b.timestamp! || a.id.localeCompare(b.id)),
        );
      }
      expect((await store.stats()).spanCount).toBe(small.length + large.length);
      expect(await store.serviceNames()).toEqual(['svc,"b"', 'svc\\a']);
      expect(await store.spanNames('svc\\a')).toEqual([
        'op 0 \\ "q" \t tab, {brace} ü',
        'op 1 \\ "q" \t tab, {brace} ü',
        'op 2 \\ "q" \t tab, {brace} ü',
      ]);
      expect(await store.remoteServiceNames('svc,"b"')).toEqual(['db\tmain']);
      expect(await store.autocompleteValues('note\\key')).toEqual(['line\nbreak']);
      // Both paths fill the duration column the searches filter on (spans without one excluded).
      const found = await store.findTraces({
        serviceName: 'svc\\a',
        minDurationUs: 100,
        maxDurationUs: 2_000,
        endTsMs: Math.ceil(NOW_US / 1000),
        lookbackMs: 3_600_000,
        limit: 10,
      });
      expect(found.map((t) => t[0]!.traceId).sort()).toEqual(['aa'.repeat(16), 'bb'.repeat(16)]);
    } finally {
      await store.close();
    }
  });
});
