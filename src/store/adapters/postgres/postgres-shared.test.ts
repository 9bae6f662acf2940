/**
 * The PostgreSQL store beyond the contract: versioned schema, several writers on one
 * database, a refused permission and a dropped connection, on a real server.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../store-errors.js';
import { makeSpan } from '../../../spans/testing/index.js';
import { SUITE_SPAN } from '../../testing/trace-store-contract.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  queryOnce,
  resetTestDatabase,
  urlFor,
  type TestDatabase,
} from './testing/pg-test-database.js';

const traceId = (n: number): string => (0xa0000 + n).toString(16).padStart(16, '0');
const spanId = (n: number): string => (n + 1).toString(16).padStart(16, '0');

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('PostgresTraceStore on a shared database'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('refuses a database of another schema version and says what to do', async () => {
    await resetTestDatabase(db.url);
    await (await PostgresTraceStore.open({ url: db.url })).close();
    await queryOnce(db.url, 'UPDATE hivelab.schema_version SET version = 99');
    await expect(PostgresTraceStore.open({ url: db.url })).rejects.toThrow(
      /schema version 99, newer than this hivelab's \(5\): upgrade hivelab, or point --store at another database/,
    );
  });

  it('keeps the partition width the database was created with', async () => {
    await resetTestDatabase(db.url);
    await (await PostgresTraceStore.open({ url: `${db.url}?partition=6h` })).close();
    const again = await PostgresTraceStore.open({ url: db.url, partitionMs: 60_000 });
    expect(again.partitionUs).toBe(6 * 3600e6);
    await again.close();
  });

  it('takes appends from several writers at once, losing and duplicating nothing', async () => {
    await resetTestDatabase(db.url);
    // Opened at once: the migration runs once, under the advisory lock.
    const stores = await Promise.all([1, 2, 3].map(() => PostgresTraceStore.open({ url: db.url })));
    try {
      // Each writer gets its own traces, and every trace also gets spans from every writer.
      await Promise.all(
        stores.map((store, w) =>
          Promise.all(
            Array.from({ length: 10 }, (_, b) =>
              store.append(
                Array.from({ length: 30 }, (_, i) =>
                  makeSpan({
                    ...SUITE_SPAN,
                    traceId: traceId(i % 10),
                    id: spanId(w * 1000 + b * 30 + i),
                    localEndpoint: { serviceName: `svc-${w}` },
                    tags: { writer: String(w) },
                  }),
                ),
              ),
            ),
          ),
        ),
      );
      for (const store of stores) expect((await store.stats()).spanCount).toBe(900);
      const traces = await stores[0]!.getTraces(Array.from({ length: 10 }, (_, i) => traceId(i)));
      expect(traces.map((t) => t.length)).toEqual(Array.from({ length: 10 }, () => 90));
      expect(new Set(traces.flat().map((s) => s.id)).size).toBe(900);
      expect(await stores[1]!.serviceNames()).toEqual(['svc-0', 'svc-1', 'svc-2']);
      expect(await stores[2]!.autocompleteValues('writer')).toEqual(['0', '1', '2']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('runs a burst of one writer as concurrent commits that share new facts and traces without deadlock', async () => {
    await resetTestDatabase(db.url);
    const store = await PostgresTraceStore.open({ url: db.url, poolSize: 4, commitConcurrency: 4 });
    try {
      // Every batch brings the same new services and tag values in its own order, and spans of
      // the same traces: concurrent commits insert the same dictionary rows and summary marks.
      await Promise.all(
        Array.from({ length: 40 }, (_, b) =>
          store.append(
            Array.from({ length: 10 }, (_, i) => {
              const n = b % 2 === 0 ? i : 9 - i;
              return makeSpan({
                ...SUITE_SPAN,
                traceId: traceId(n),
                id: spanId(b * 10 + i),
                localEndpoint: { serviceName: `svc-${n}` },
                tags: { shard: String(n) },
              });
            }),
          ),
        ),
      );
      expect((await store.stats()).spanCount).toBe(400);
      const traces = await store.getTraces(Array.from({ length: 10 }, (_, i) => traceId(i)));
      expect(traces.map((t) => t.length)).toEqual(Array.from({ length: 10 }, () => 40));
      expect(await store.serviceNames()).toEqual(Array.from({ length: 10 }, (_, i) => `svc-${i}`));
      expect(await store.autocompleteValues('shard')).toEqual(
        Array.from({ length: 10 }, (_, i) => String(i)),
      );
      // The burst really was shared out: more than one commit slot added to the counts.
      const slots = await queryOnce(db.url, 'SELECT count(*)::int AS n FROM hivelab.span_counts');
      expect(slots.rows[0].n).toBeGreaterThan(1);
    } finally {
      await store.close();
    }
  });

  it('refuses writes without permission with a clear error, and keeps serving queries', async () => {
    await resetTestDatabase(db.url);
    const owner = await PostgresTraceStore.open({ url: db.url });
    await owner.append([makeSpan({ ...SUITE_SPAN, traceId: traceId(1), id: spanId(1) })]);
    await owner.close();
    const role = `hivelab_ro_${process.pid}`;
    await queryOnce(db.url, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await queryOnce(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'ro'`);
    await queryOnce(
      db.url,
      `GRANT USAGE ON SCHEMA hivelab TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA hivelab TO ${role}`,
    );
    const reader = await PostgresTraceStore.open({ url: urlFor(db.name, { user: role, password: 'ro' }) });
    try {
      const error: unknown = await reader
        .append([makeSpan({ ...SUITE_SPAN, traceId: traceId(2), id: spanId(2) })])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).message).toMatch(/refused permission to write spans/);
      expect((error as StoreUnavailableError).message).not.toContain(':ro@');
      expect((error as StoreUnavailableError).hint).toMatch(/grant/);
      expect(await reader.getTrace(traceId(1))).toHaveLength(1);
      expect((await reader.stats()).spanCount).toBe(1);
    } finally {
      await reader.close();
      await queryOnce(
        db.url,
        `REVOKE ALL ON ALL TABLES IN SCHEMA hivelab FROM ${role}; REVOKE ALL ON SCHEMA hivelab FROM ${role}; ` +
          `REVOKE ALL ON DATABASE ${db.name} FROM ${role}; DROP ROLE ${role}`,
      );
    }
  });

  it('survives its connection being killed mid-transaction: that append is refused, the next works', async () => {
    await resetTestDatabase(db.url);
    const store = await PostgresTraceStore.open({ url: db.url, log: () => undefined });
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await store.append([makeSpan({ ...SUITE_SPAN, traceId: traceId(1), id: spanId(1) })]);
      // Hold the counters' lock so the next append stops inside its transaction.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE hivelab.span_counts IN EXCLUSIVE MODE');
      const spans = (t: number) =>
        Array.from({ length: 50 }, (_, i) => makeSpan({ ...SUITE_SPAN, traceId: traceId(t), id: spanId(i) }));
      const inFlight = store.append(spans(2)).then(
        () => undefined,
        (e: unknown) => e,
      );
      const waiting = `SELECT pid FROM pg_stat_activity WHERE datname = current_database()
        AND application_name = 'hivelab-collector' AND wait_event_type = 'Lock'`;
      for (let i = 0; i < 200 && (await locker.query(waiting)).rowCount === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      await queryOnce(
        db.url,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'hivelab-collector'`,
      );
      const error = await inFlight;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/unreachable or restarting/);
      await locker.query('ROLLBACK');
      await store.append(spans(3));
      expect(await store.getTrace(traceId(2))).toEqual([]);
      expect(await store.getTrace(traceId(3))).toHaveLength(50);
      expect((await store.stats()).spanCount).toBe(51);
    } finally {
      await locker.end();
      await store.close();
    }
  });
});
