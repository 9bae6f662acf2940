/**
 * PostgreSQL beside SQLite, one run: `npm run bench -- store-postgres [--spans N]
 * [--append-spans N] [--appenders N,M] [--queries N] [--rounds N] [--pg-url URL]`.
 *
 * 1. Append throughput, acknowledged after commit: Zipkin JSON batches of 100 parsed and
 *    appended by 8, 32 and 128 concurrent appenders (a collector's requests in flight), into
 *    sqlite-ours, postgres-ours and two bare PostgreSQL limits (COPY into an unindexed,
 *    unpartitioned table, the same group commit as ours: of each span's JSON, a row per span;
 *    and of ours' span-group rows, the same COPY text); then each store at its best (its
 *    ingest capacity). Goal: postgres ≥ 0.5× sqlite.
 * 2. The same N spans (realistic traces, one every 100 ms: 10 M spans are about a day) loaded
 *    into both stores (opened as the collector opens them, keeping the analyzer's summaries),
 *    then p50/p99 of getTrace(random id) (goal p99 ≤ 10 ms) and of findTraces(service,
 *    minDuration, limit 10) (goal p99 ≤ 100 ms), the analyzer's request types over the whole
 *    store (`analyze types`), and others, side by side.
 *
 * Needs PostgreSQL (the role `.ci/run` creates, or --pg-url: a role that may CREATE DATABASE,
 * with `pg_checkpoint` to checkpoint between variants)
 * and the build (`npm run build`). Short run: `--spans 1000000 --append-spans 200000`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { analyzeTypes, createTraceSummarizer, StoreSource } from '../src/analysis/index.js';
import type { Span } from '../src/spans/index.js';
import { GroupCommit, PostgresTraceStore, SqliteTraceStore, type TraceStore } from '../src/store/index.js';
// eslint-disable-next-line hivelab/index-only-imports -- the bare limit of the store's own row design sends the store's own COPY rows
import { copyDataOf, type PgRowBatch, toPgRowBatch } from '../src/store/adapters/postgres/postgres-rows.js';
import { batchesOf, makeTrace, rng, round, SERVICES } from './fixtures/hotel-traces.js';
import { benchFlags, latencyMs } from './lib/bench-kit.js';

function parseArgs(argv: string[]) {
  const flags = benchFlags(
    {
      spans: { type: 'number', default: 10_000_000, integer: true },
      appendSpans: { type: 'number', default: 300_000, integer: true },
      appenders: { type: 'list', default: ['8', '32', '128'] },
      queries: { type: 'number', default: 500, integer: true },
      rounds: { type: 'number', default: 2, integer: true },
      pgUrl: {
        type: 'string',
        default:
          process.env['HIVELAB_TEST_PG_URL'] ??
          'postgres://hivelab_test:hivelab_test@127.0.0.1:5432/postgres',
      },
    },
    argv,
  );
  const appenders = flags.appenders.map(Number);
  if (appenders.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--appenders: expected positive integers, e.g. 8,32, got "${flags.appenders.join(',')}"`);
  }
  return { ...flags, appenders };
}

/** The store as a cache sees one without `summaryChanges` (every other call passed through). */
function withoutChangeLog(store: TraceStore): TraceStore {
  return new Proxy(store, {
    get: (target, prop) => {
      if (prop === 'summaryChanges') return undefined;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

interface Appender {
  append: (b: Span[]) => Promise<void>;
  close: () => Promise<void>;
}

/** A fresh database on the server; `drop` removes it. */
async function freshDatabase(
  adminUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // FORCE cannot end an autovacuum worker (it runs as a superuser) that just started on the
  // database: wait for it rather than fail the run.
  const drop = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42501' || attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  await drop();
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}

/**
 * The bare limit: the span JSON COPYed into an unindexed table, acknowledged after COMMIT,
 * with the store's own group commit (2 at once, as `commitConcurrency` defaults): what
 * PostgreSQL and this client can ingest before any index, dictionary or summary mark.
 */
async function bareAppender(url: string): Promise<Appender> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query('CREATE TABLE spans (doc text NOT NULL)');
  const commits = new GroupCommit<Span[]>(
    async (batches) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const text =
          batches
            .flat()
            .map((s) => JSON.stringify(s).replace(/\\/g, '\\\\'))
            .join('\n') + '\n';
        await pipeline(
          Readable.from([Buffer.from(text)]),
          client.query(copyFrom('COPY spans (doc) FROM STDIN')),
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    { concurrency: 2 },
  );
  return {
    append: (batch) => commits.add(batch),
    close: async () => {
      await commits.drain();
      await pool.end();
    },
  };
}

/**
 * The bare limit of the store's own rows: the span groups as the store sends them (one row per
 * trace and local service of a batch, `toPgRowBatch`, the same COPY text), into an unindexed,
 * unpartitioned table, with the same group commit. What PostgreSQL and this client ingest of
 * that row design before any index, partition, dictionary or summary mark.
 */
async function bareGroupsAppender(url: string): Promise<Appender> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  await pool.query(
    `CREATE TABLE spans (trace_id bytea NOT NULL, ts bigint NOT NULL, ts_max bigint, duration bigint,
       service text NOT NULL, doc text NOT NULL, span_count integer NOT NULL)`,
  );
  const commits = new GroupCommit<PgRowBatch>(
    async (batches) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await pipeline(
          Readable.from(copyDataOf(batches)),
          client.query(
            copyFrom('COPY spans (trace_id, ts, ts_max, duration, service, doc, span_count) FROM STDIN'),
          ),
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    { concurrency: 2 },
  );
  return {
    append: (batch) => commits.add(toPgRowBatch(batch, 86_400_000_000)),
    close: async () => {
      await commits.drain();
      await pool.end();
    },
  };
}

let checkpointRefused = false;

/**
 * Flushes PostgreSQL's dirty buffers before each variant, so that the checkpoint the last
 * variant's WAL (~0.3 GB per run) triggers lands on no particular one of them; it otherwise
 * fell on whichever ran next, SQLite included (same disk, same 2 cores), and moved the ratio
 * by ±15 % from round to round. Needs the `pg_checkpoint` role (`.ci/run` grants it).
 */
async function checkpoint(url: string): Promise<void> {
  if (checkpointRefused) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch (error) {
    checkpointRefused = true;
    console.warn(`no CHECKPOINT between variants (${(error as Error).message}): expect more noise`);
  } finally {
    await client.end();
  }
}

interface Rate {
  spansPerSec: number;
  spansPerCpuSec: number;
}

async function concurrentAppends(
  bodies: string[],
  spans: number,
  appenders: number,
  append: Appender['append'],
): Promise<Rate> {
  let next = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (next < bodies.length) await append(JSON.parse(bodies[next++]!) as Span[]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // Only this process's CPU: PostgreSQL's own backends are not in it.
  return { spansPerSec: spans / seconds, spansPerCpuSec: spans / ((cpu.user + cpu.system) / 1e6) };
}

async function timeQueries(
  n: number,
  run: (i: number) => Promise<unknown>,
): Promise<{ p50Ms: number; p99Ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const { p50Ms, p99Ms } = latencyMs(times);
  return { p50Ms, p99Ms };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'hivelab-bench-pg-'));
  const random = rng(42);
  const nowUs = Date.now() * 1000;
  const dbs: { drop: () => Promise<void> }[] = [];
  try {
    // 1. Append throughput, interleaved rounds, best of each.
    const appendSpans: Span[] = [];
    for (let ts = nowUs - 3_600_000_000; appendSpans.length < args.appendSpans; ts += 200) {
      appendSpans.push(...makeTrace(random, ts));
    }
    appendSpans.length = args.appendSpans;
    const bodies = batchesOf(appendSpans, 100).map((b) => JSON.stringify(b));
    const variants: Record<string, (round: number) => Promise<Appender>> = {
      'sqlite-ours': (r) => SqliteTraceStore.open({ dataDir: path.join(dir, `sqlite-${r}`) }),
      'postgres-ours': async (r) => {
        const db = await freshDatabase(args.pgUrl, `hivelab_bench_ours_${r}`);
        dbs.push(db);
        return PostgresTraceStore.open({ url: db.url });
      },
      'postgres bare limit (COPY, no index)': async (r) => {
        const db = await freshDatabase(args.pgUrl, `hivelab_bench_bare_${r}`);
        dbs.push(db);
        return bareAppender(db.url);
      },
      'postgres bare limit, span groups (COPY, no index)': async (r) => {
        const db = await freshDatabase(args.pgUrl, `hivelab_bench_bare_groups_${r}`);
        dbs.push(db);
        return bareGroupsAppender(db.url);
      },
    };
    // Each store at each number of concurrent appenders (in-flight requests of a collector):
    // SQLite is in-process and saturates early, PostgreSQL needs appends in flight to hide
    // its round trips; the last table compares each store at its best (its ingest capacity).
    const best = new Map<string, Rate>();
    const key = (name: string, appenders: number): string => `${name} @${appenders}`;
    for (let r = 0; r < args.rounds; r++) {
      for (const appenders of args.appenders) {
        for (const [name, open] of Object.entries(variants)) {
          await checkpoint(args.pgUrl);
          const appender = await open(r);
          const rate = await concurrentAppends(bodies, appendSpans.length, appenders, (b) =>
            appender.append(b),
          );
          await appender.close();
          const previous = best.get(key(name, appenders));
          best.set(key(name, appenders), {
            spansPerSec: Math.max(previous?.spansPerSec ?? 0, rate.spansPerSec),
            spansPerCpuSec: Math.max(previous?.spansPerCpuSec ?? 0, rate.spansPerCpuSec),
          });
        }
      }
    }
    const append = args.appenders.flatMap((appenders) => {
      const sqliteRate = best.get(key('sqlite-ours', appenders))!.spansPerSec;
      const bareRate = best.get(key('postgres bare limit (COPY, no index)', appenders))!.spansPerSec;
      return Object.keys(variants).map((store) => {
        const rate = best.get(key(store, appenders))!;
        return {
          store,
          appenders,
          spansPerSec: Math.round(rate.spansPerSec),
          vsSqlite: round(rate.spansPerSec / sqliteRate),
          vsPgBare: round(rate.spansPerSec / bareRate),
          clientSpansPerCpuSec: Math.round(rate.spansPerCpuSec),
        };
      });
    });
    console.log(
      `\nappend: ${args.appendSpans} spans, Zipkin JSON batches of 100 parsed then appended by ` +
        `${args.appenders.join(' or ')} concurrent appenders, acknowledged after commit (best of ${args.rounds})`,
    );
    console.table(append);
    const capacity = Object.keys(variants).map((store) => {
      const rows = append.filter((row) => row.store === store);
      return rows.reduce((a, b) => (b.spansPerSec > a.spansPerSec ? b : a));
    });
    const sqliteCapacity = capacity[0]!.spansPerSec;
    console.log(
      '\ningest capacity: each store at its best number of appenders (goal: postgres ≥ 0.5× sqlite)',
    );
    console.table(
      capacity.map((row) => ({
        store: row.store,
        appenders: row.appenders,
        spansPerSec: row.spansPerSec,
        vsSqlite: round(row.spansPerSec / sqliteCapacity),
      })),
    );

    // 2. The same spans into both stores, then queries.
    const loadedDb = await freshDatabase(args.pgUrl, 'hivelab_bench_loaded');
    dbs.push(loadedDb);
    const stores: Record<string, TraceStore> = {
      // As the collector opens them: the analyzer's per-trace summaries kept at ingest.
      sqlite: await SqliteTraceStore.open({
        dataDir: path.join(dir, 'loaded'),
        summarizer: createTraceSummarizer(),
      }),
      postgres: await PostgresTraceStore.open({
        url: loadedDb.url,
        poolSize: 6,
        summarizer: createTraceSummarizer(),
      }),
    };
    const traceIds: string[] = [];
    const stepUs = 100_000;
    const startUs = nowUs - Math.ceil(args.spans / 12) * stepUs;
    const loadSeconds: Record<string, number> = { sqlite: 0, postgres: 0 };
    let ts = startUs;
    for (let loaded = 0; loaded < args.spans;) {
      const chunk: Span[] = [];
      while (chunk.length < 20_000 && loaded + chunk.length < args.spans) {
        const trace = makeTrace(random, ts);
        ts += stepUs;
        if (random() < 0.01) traceIds.push(trace[0]!.traceId);
        chunk.push(...trace);
      }
      chunk.length = Math.min(chunk.length, args.spans - loaded);
      for (const [name, store] of Object.entries(stores)) {
        const start = process.hrtime.bigint();
        await Promise.all(batchesOf(chunk, 2000).map((b) => store.append(b)));
        loadSeconds[name]! += Number(process.hrtime.bigint() - start) / 1e9;
      }
      loaded += chunk.length;
      if (loaded % 1_000_000 < 20_000) console.log(`loaded ${loaded} spans into both`);
    }
    // Both stores catch their summaries up in the background after a load; queries timed while
    // that runs measure the catch-up, not the query. Wait for it (a one-trace summary query
    // catches every dirty trace up first) and report how long it took.
    const settleMs: Record<string, number> = {};
    for (const [name, store] of Object.entries(stores)) {
      const start = process.hrtime.bigint();
      const nowMs = Math.ceil(ts / 1000) + 1;
      for await (const page of store.summarizeTraces(
        { endTsMs: nowMs, lookbackMs: 1, limit: 1 },
        createTraceSummarizer(),
      ))
        void page;
      settleMs[name] = Math.round(Number(process.hrtime.bigint() - start) / 1e6);
    }
    // Statistics and the visibility map, as autovacuum would leave them after a load.
    const vacuum = new pg.Client({ connectionString: loadedDb.url });
    await vacuum.connect();
    await vacuum.query('VACUUM ANALYZE hivelab.spans');
    await vacuum.end();
    const endTsMs = Math.ceil(ts / 1000) + 1;
    const lookbackMs = endTsMs - Math.floor(startUs / 1000) + 1;
    const hour = { endTsMs, lookbackMs: 3_600_000, limit: 10 };
    const day = { endTsMs, lookbackMs, limit: 10 };
    // The hour before the newest trace, and an hour past it for the traces that arrive.
    const lastHour = { startUs: ts - 3_600_000_000, endUs: ts + 3_600_000_000 };
    const cachedSources = new Map<TraceStore, StoreSource>();
    const blindSources = new Map<TraceStore, StoreSource>();
    // The same new traces for both stores, each call's own, after the loaded ones.
    const arriving: Span[][] = [];
    for (let call = 0; call < 5; call++) {
      const spans: Span[] = [];
      for (let t = 0; t < 100; t++) {
        spans.push(...makeTrace(random, ts));
        ts += stepUs;
      }
      arriving.push(spans);
    }
    /** Call `i`: its new traces appended, then the last hour's types from the store's source. */
    const typesAfterArrival = async (sources: Map<TraceStore, StoreSource>, s: TraceStore, i: number) => {
      await s.append(arriving[i % arriving.length]!);
      return analyzeTypes(sources.get(s)!, { window: lastHour });
    };
    const queries: Record<
      string,
      { run: (s: TraceStore, i: number) => Promise<unknown>; n: number; goalP99Ms: number | '-' }
    > = {
      'getTrace(random id)': {
        run: (s, i) => s.getTrace(traceIds[i % traceIds.length]!),
        n: args.queries,
        goalP99Ms: 10,
      },
      'findTraces(service, minDuration 5 ms, whole store)': {
        run: (s, i) =>
          s.findTraces({ ...day, serviceName: SERVICES[i % SERVICES.length]!, minDurationUs: 5000 }),
        n: args.queries,
        goalP99Ms: 100,
      },
      'findTraces(service, minDuration 200 ms, whole store)': {
        run: (s, i) =>
          s.findTraces({ ...day, serviceName: SERVICES[i % SERVICES.length]!, minDurationUs: 200_000 }),
        n: Math.max(20, args.queries / 10),
        goalP99Ms: 100,
      },
      'findTraces(service, minDuration 5 ms, last hour)': {
        run: (s, i) =>
          s.findTraces({ ...hour, serviceName: SERVICES[i % SERVICES.length]!, minDurationUs: 5000 }),
        n: args.queries,
        goalP99Ms: '-',
      },
      'findTraces(any service, minDuration 5 ms)': {
        run: (s) => s.findTraces({ ...day, minDurationUs: 5000 }),
        n: Math.max(20, args.queries / 10),
        goalP99Ms: '-',
      },
      // `hivelab analyze types --store …` over everything loaded (a day at 10 M spans).
      'analyzeTypes(whole store)': {
        run: (s) => analyzeTypes(new StoreSource(s, 'bench', false)),
        n: 3,
        goalP99Ms: '-',
      },
      // The collector's request types (`/api/hivelab/types`) over the last hour, as the UI
      // asks: without a cache, and with the collector's types cache while 100 new traces
      // arrive before each call (appended and summarised within the timing), so the cache
      // reads again only the buckets the store's change log names.
      'analyzeTypes(last hour)': {
        run: (s) => analyzeTypes(new StoreSource(s, 'bench', false), { window: lastHour }),
        n: 5,
        goalP99Ms: '-',
      },
      'analyzeTypes(last hour), types cache, 100 new traces before each': {
        run: (s, i) => typesAfterArrival(cachedSources, s, i),
        n: 5,
        goalP99Ms: '-',
      },
      // The same, the store's change log hidden from the cache (as on PostgreSQL before
      // schema version 4): the cache cannot tell what changed, and reads everything again.
      'analyzeTypes(last hour), types cache without the change log': {
        run: (s, i) => typesAfterArrival(blindSources, s, i),
        n: 5,
        goalP99Ms: '-',
      },
      'dependencies(1% of the store)': {
        run: (s) => s.dependencies(endTsMs, Math.max(1, Math.round(lookbackMs / 100))),
        n: 5,
        goalP99Ms: '-',
      },
    };
    const rows = [];
    // Each store's cache filled once (outside the timing), as a running collector's is.
    for (const store of Object.values(stores)) {
      const source = new StoreSource(store, 'cached', false, {});
      cachedSources.set(store, source);
      await analyzeTypes(source, { window: lastHour });
      const blind = new StoreSource(withoutChangeLog(store), 'blind', false, {});
      blindSources.set(store, blind);
      await analyzeTypes(blind, { window: lastHour });
    }
    for (const [query, { run, n, goalP99Ms }] of Object.entries(queries)) {
      const row: Record<string, unknown> = { query, goalP99Ms };
      for (const [name, store] of Object.entries(stores)) {
        const t = await timeQueries(n, (i) => run(store, i));
        row[`${name} p50 ms`] = round(t.p50Ms, 2);
        row[`${name} p99 ms`] = round(t.p99Ms, 2);
      }
      rows.push(row);
    }
    const sizes: Record<string, number> = {};
    for (const [name, store] of Object.entries(stores)) {
      sizes[name] = (await store.stats()).sizeBytes;
      await store.close();
    }
    console.log(
      `\nloaded ${args.spans} spans into each: sqlite ${Math.round(args.spans / loadSeconds['sqlite']!)} spans/s, ` +
        `postgres ${Math.round(args.spans / loadSeconds['postgres']!)} spans/s (batches of 2000, 10 in flight); ` +
        `size: sqlite ${(sizes['sqlite']! / 1e6).toFixed(0)} MB, postgres ${(sizes['postgres']! / 1e6).toFixed(0)} MB; ` +
        `summaries caught up after the load in sqlite ${settleMs['sqlite']} ms, postgres ${settleMs['postgres']} ms`,
    );
    console.table(rows);
    const out = {
      args: { ...args, pgUrl: undefined },
      append,
      capacity,
      load: { loadSeconds, sizes, settleMs },
      queries: rows,
    };
    const resultsDir = path.dirname(fileURLToPath(import.meta.url));
    writeFileSync(path.join(resultsDir, 'store-postgres.json'), JSON.stringify(out, null, 2));
    console.log(`\nwrote ${path.join(resultsDir, 'store-postgres.json')}`);
  } finally {
    for (const db of dbs) await db.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
