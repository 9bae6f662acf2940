/**
 * Trace store benchmark: `npm run bench -- store [--spans N] [--append-spans N] [--appenders N]
 * [--queries N] [--rounds N] [--dir DIR]`.
 *
 * 1. Append throughput, batches of 100 spans from several concurrent appenders, acknowledged
 *    only after commit: sqlite-ours vs a naive baseline (row per span, three text indexes,
 *    one transaction per batch) vs the bare limit (better-sqlite3 into an unindexed table).
 * 2. Load N spans in realistic traces through the store's fast path, then p50/p99 of
 *    getTrace by random id and of findTraces({serviceName, minDurationUs, limit: 10}).
 * 3. Bytes on disk per span.
 *
 * Needs the build (`npx tsc -p tsconfig.json`): the writer thread runs dist/.
 * Short run: `--spans 1000000 --append-spans 300000`; full run: the defaults (10 M spans).
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Span } from '../src/spans/index.js';
import { SQLITE_FILE_NAME, SqliteTraceStore } from '../src/store/index.js';
import { benchFlags, latencyMs } from './lib/bench-kit.js';
import { makeTrace, rng, SERVICES } from './fixtures/hotel-traces.js';

/** The bench runs bundled from bench/results/, so point the store at the built worker. */
const workerFile = fileURLToPath(
  new URL('../../dist/store/adapters/sqlite/sqlite-write.worker.js', import.meta.url),
);

function makeSpans(random: () => number, total: number, startUs: number, stepUs: number): Span[] {
  const spans: Span[] = [];
  let ts = startUs;
  while (spans.length < total) {
    spans.push(...makeTrace(random, ts));
    ts += stepUs;
  }
  spans.length = total;
  return spans;
}

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `appenders` concurrent loops that each parse one Zipkin JSON batch (as the collector
 * does for each request) and await its append; spans acknowledged per second.
 */
async function concurrentAppends(
  bodies: string[],
  spans: number,
  appenders: number,
  append: (b: Span[]) => Promise<void>,
): Promise<Rate> {
  let next = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        await append(JSON.parse(body) as Span[]);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // cpuUsage counts every thread of the process, the writer thread included.
  const cpu = process.cpuUsage(cpuStart);
  return { spansPerSec: spans / seconds, spansPerCpuSec: spans / ((cpu.user + cpu.system) / 1e6) };
}

/** Wall-clock rate, and rate per CPU-second (less sensitive to other load on the machine). */
interface Rate {
  spansPerSec: number;
  spansPerCpuSec: number;
}

interface Appender {
  append: (b: Span[]) => Promise<void>;
  close: () => Promise<void> | void;
}

/** Best of `rounds` runs, each into a fresh database, variants interleaved to share the noise. */
async function compareAppenders(
  variants: Record<string, (dir: string) => Promise<Appender>>,
  rounds: number,
  run: (append: Appender['append']) => Promise<Rate>,
  dir: string,
): Promise<Map<string, Rate>> {
  const best = new Map<string, Rate>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, open] of Object.entries(variants)) {
      const appender = await open(path.join(dir, `${name.replace(/\W+/g, '-')}-${round}`));
      const rate = await run((b) => appender.append(b));
      await appender.close();
      const previous = best.get(name);
      best.set(name, {
        spansPerSec: Math.max(previous?.spansPerSec ?? 0, rate.spansPerSec),
        spansPerCpuSec: Math.max(previous?.spansPerCpuSec ?? 0, rate.spansPerCpuSec),
      });
    }
  }
  return best;
}

function mkdirP(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Naive baseline: row per span with text columns and three text indexes, one transaction per batch. */
function naiveAppender(file: string): Appender {
  const db = openRaw(file);
  db.exec(`CREATE TABLE spans (trace_id TEXT, id TEXT, service TEXT, name TEXT, ts INTEGER, dur INTEGER, json TEXT);
    CREATE INDEX s_trace ON spans (trace_id); CREATE INDEX s_service ON spans (service, ts); CREATE INDEX s_name ON spans (name);`);
  const insert = db.prepare('INSERT INTO spans VALUES (?,?,?,?,?,?,?)');
  const tx = db.transaction((batch: Span[]) => {
    for (const s of batch) {
      insert.run(
        s.traceId,
        s.id,
        s.localEndpoint?.serviceName ?? '',
        s.name ?? '',
        s.timestamp ?? 0,
        s.duration ?? 0,
        JSON.stringify(s),
      );
    }
  });
  return { append: (b) => Promise.resolve(tx(b)), close: () => void db.close() };
}

/** Bare limit: the same JSON into a table with no index, one transaction per batch. */
function bareAppender(file: string): Appender {
  const db = openRaw(file);
  db.exec('CREATE TABLE spans (json TEXT)');
  const insert = db.prepare('INSERT INTO spans VALUES (?)');
  const tx = db.transaction((batch: Span[]) => {
    for (const s of batch) insert.run(JSON.stringify(s));
  });
  return { append: (b) => Promise.resolve(tx(b)), close: () => void db.close() };
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

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const args = benchFlags({
    spans: { type: 'number', default: 10_000_000, integer: true },
    appendSpans: { type: 'number', default: 1_000_000, integer: true },
    appenders: { type: 'number', default: 8, integer: true },
    queries: { type: 'number', default: 1000, integer: true },
    rounds: { type: 'number', default: 2, integer: true },
    dir: { type: 'string' },
  });
  const dir = args.dir ?? mkdtempSync(path.join(tmpdir(), 'hivelab-bench-store-'));
  mkdirSync(dir, { recursive: true });
  const random = rng(42);
  const nowUs = Date.now() * 1000;
  try {
    // 1. Append throughput.
    const appendSpans = makeSpans(random, args.appendSpans, nowUs - 3_600_000_000, 200);
    const bodies = batchesOf(appendSpans, 100).map((b) => JSON.stringify(b));
    const n = appendSpans.length;
    const OURS_THREAD = 'sqlite-ours (writer thread)';
    const OURS_INLINE = 'sqlite-ours (inline writer)';
    const NAIVE = 'naive (row per span, 3 text indexes)';
    const BARE = 'bare limit (no index)';
    const rates = await compareAppenders(
      {
        [OURS_THREAD]: (d) => SqliteTraceStore.open({ dataDir: d, writer: 'thread', workerFile }),
        [OURS_INLINE]: (d) => SqliteTraceStore.open({ dataDir: d, writer: 'inline' }),
        [NAIVE]: (d) => Promise.resolve(naiveAppender(path.join(mkdirP(d), 'naive.sqlite'))),
        [BARE]: (d) => Promise.resolve(bareAppender(path.join(mkdirP(d), 'bare.sqlite'))),
      },
      args.rounds,
      (append) => concurrentAppends(bodies, n, args.appenders, append),
      dir,
    );
    const naiveRate = rates.get(NAIVE) as Rate;
    const bareRate = rates.get(BARE) as Rate;
    const throughput = [...rates].map(([store, rate]) => ({
      store,
      spansPerSec: Math.round(rate.spansPerSec),
      vsNaive: round(rate.spansPerSec / naiveRate.spansPerSec),
      vsBare: round(rate.spansPerSec / bareRate.spansPerSec),
      spansPerCpuSec: Math.round(rate.spansPerCpuSec),
      cpuVsBare: round(rate.spansPerCpuSec / bareRate.spansPerCpuSec),
    }));
    console.log(
      `\nappend: ${args.appendSpans} spans, Zipkin JSON batches of 100 parsed then appended, ${args.appenders} concurrent appenders`,
    );
    console.table(throughput);

    // 2. Load N spans via the store's own path (big batches), then query latencies.
    const loadedDir = path.join(dir, 'loaded');
    const store = await SqliteTraceStore.open({ dataDir: loadedDir, workerFile });
    const traceIds: string[] = [];
    const loadStart = process.hrtime.bigint();
    // One trace every 100 ms: 10 M spans cover about a day, as a lab run would.
    const stepUs = 100_000;
    const startUs = nowUs - Math.ceil(args.spans / 12) * stepUs;
    let ts = startUs;
    let loaded = 0;
    while (loaded < args.spans) {
      const chunk: Span[] = [];
      while (chunk.length < 10_000 && loaded + chunk.length < args.spans) {
        const trace = makeTrace(random, ts);
        ts += stepUs;
        if (random() < 0.01) traceIds.push(trace[0]!.traceId);
        chunk.push(...trace);
      }
      chunk.length = Math.min(chunk.length, args.spans - loaded);
      await Promise.all(batchesOf(chunk, 1000).map((b) => store.append(b)));
      loaded += chunk.length;
      if (loaded % 1_000_000 < 10_000) console.log(`loaded ${loaded} spans`);
    }
    const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
    const endTsMs = Math.ceil(ts / 1000) + 1;
    const lookbackMs = endTsMs - Math.floor(startUs / 1000) + 1;
    const getTrace = await timeQueries(args.queries, (i) => store.getTrace(traceIds[i % traceIds.length]!));
    const search = await timeQueries(args.queries, (i) =>
      store.findTraces({
        serviceName: SERVICES[i % SERVICES.length]!,
        minDurationUs: 5000,
        endTsMs,
        lookbackMs,
        limit: 10,
      }),
    );
    // A bound the search must mostly scan for: few spans are this slow.
    const rareSearch = await timeQueries(Math.max(10, Math.floor(args.queries / 10)), (i) =>
      store.findTraces({
        serviceName: SERVICES[i % SERVICES.length]!,
        minDurationUs: 200_000,
        endTsMs,
        lookbackMs,
        limit: 10,
      }),
    );
    // Dependencies read every trace of the window: time a window holding ~1% of the store.
    const depLookbackMs = Math.max(1, Math.round(lookbackMs / 100));
    const deps = await timeQueries(5, () => store.dependencies(endTsMs, depLookbackMs));
    const searchAll = await timeQueries(Math.max(10, Math.floor(args.queries / 10)), () =>
      store.findTraces({ minDurationUs: 5000, endTsMs, lookbackMs, limit: 10 }),
    );
    const { spanCount } = await store.stats();
    await store.close();
    // Closed: the WAL is checkpointed into the file and removed, so this is the steady size.
    const stats = { spanCount, sizeBytes: statSync(path.join(loadedDir, SQLITE_FILE_NAME)).size };
    const queries = [
      {
        query: 'getTrace(random id)',
        p50Ms: round(getTrace.p50Ms, 3),
        p99Ms: round(getTrace.p99Ms, 3),
        goalP99Ms: 5,
      },
      {
        query: 'findTraces(service, minDuration 5ms, limit 10)',
        p50Ms: round(search.p50Ms, 3),
        p99Ms: round(search.p99Ms, 3),
        goalP99Ms: 100,
      },
      {
        query: 'findTraces(service, minDuration 200ms, limit 10)',
        p50Ms: round(rareSearch.p50Ms, 3),
        p99Ms: round(rareSearch.p99Ms, 3),
        goalP99Ms: 100,
      },
      {
        query: 'findTraces(any service, minDuration 5ms, limit 10)',
        p50Ms: round(searchAll.p50Ms, 3),
        p99Ms: round(searchAll.p99Ms, 3),
        goalP99Ms: '-',
      },
      {
        query: 'dependencies(window with 1% of the store)',
        p50Ms: round(deps.p50Ms, 1),
        p99Ms: round(deps.p99Ms, 1),
        goalP99Ms: '-',
      },
    ];
    console.log(
      `\nloaded ${args.spans} spans in ${loadSeconds.toFixed(1)} s (${Math.round(args.spans / loadSeconds)} spans/s)`,
    );
    console.table(queries);
    const bytesPerSpan = stats.sizeBytes / stats.spanCount;
    console.log(
      `\non disk: ${(stats.sizeBytes / 1e6).toFixed(1)} MB for ${stats.spanCount} spans = ${bytesPerSpan.toFixed(1)} bytes/span`,
    );

    const out = {
      args,
      append: throughput,
      load: {
        spans: args.spans,
        seconds: round(loadSeconds, 1),
        spansPerSec: Math.round(args.spans / loadSeconds),
      },
      queries,
      disk: { sizeBytes: stats.sizeBytes, spanCount: stats.spanCount, bytesPerSpan: round(bytesPerSpan, 1) },
    };
    const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)));
    writeFileSync(path.join(resultsDir, 'store.json'), JSON.stringify(out, null, 2));
    console.log(`\nwrote ${path.join(resultsDir, 'store.json')}`);
  } finally {
    if (args.dir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
