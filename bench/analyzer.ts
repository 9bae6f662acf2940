/**
 * Analyzer benchmark: `npm run bench -- analyzer [--traces N] [--hours H] [--naive N] [--dir DIR]`.
 *
 * 1. Fills a SQLite store (kept in --dir between runs) with N traces of 10 spans (4 request
 *    types, a few planted slow traces), spread over the last H hours, through the store's
 *    append with the analyzer's summarizer (summaries at ingest).
 * 2. In a fresh child process each (wall time, CPU time and peak RSS):
 *    - ours: `analyze types` + `analyze anomalies` over the store (--data) in one shared
 *      pass (`analyze anomalies --with-types`);
 *    - ours, two passes: `analyze types`, then `analyze anomalies` (each reads the summaries);
 *    - the floor of the summary path: read every kept summary row and JSON.parse its data;
 *    - bare limit: read every stored chunk and JSON.parse it (no analysis at all);
 *    - naive (seed 004's way): through the Jaeger API, fetch each trace by id and aggregate
 *      per trace; run on --naive traces and scaled to N.
 * 3. `GET /api/hivelab/types` over the last 15 minutes of the store (ending at its newest
 *    trace, so a reused store still has a full window), 30 times after 3 warm-up calls,
 *    from a collector on the store: p50/p99, without and with the collector's types cache,
 *    on the store as it is and with 200 new traces arriving before each request (they stay:
 *    each run adds 13 200 traces to a reused store's last 15 minutes).
 *    `--phase api` runs this part alone (on a store filled by an earlier run, or
 *    `--phase fill`).
 * Writes bench/results/analyzer.json.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeAnomalies,
  analyzeTypes,
  analyzeTypesAndAnomalies,
  createTraceSummarizer,
  StoreSource,
  analyzeTrace,
} from '../src/analysis/index.js';
import { startCollector } from '../src/collector/index.js';
import type { Span } from '../src/spans/index.js';
import { SqliteTraceStore, SQLITE_FILE_NAME } from '../src/store/index.js';
import { benchFlags, latencyMs } from './lib/bench-kit.js';

const flags = benchFlags({
  traces: { type: 'number', default: 1_000_000, integer: true },
  hours: { type: 'number', default: 4 },
  naive: { type: 'number', default: 3000, integer: true },
  dir: { type: 'string' },
  /** fill | api (run that part alone) | a child phase (ours, ours-two-passes, summary-floor, bare, naive). */
  phase: { type: 'string' },
});
const N = flags.traces;
const HOURS = flags.hours;
const NAIVE = flags.naive;
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = flags.dir ?? path.join(here, `analyzer-data-${N}-${HOURS}h`);
const phase = flags.phase;

const hex = (n: number): string => n.toString(16).padStart(16, '0');
const SERVICES = ['auth', 'db', 'cache', 'search', 'geo', 'rate', 'profile', 'user'];

/** Trace i: gw SERVER + a local span + 4 client/server pairs, services by type. */
function trace(i: number, startUs: number): Span[] {
  const type = i % 4;
  const traceId = hex(0x1000000000 + i);
  const id = (k: number): string => hex(i * 16 + k + 1);
  const spans: Span[] = [];
  const slow = i % 9973 === 0 ? 20_000 : 0;
  let t = startUs + 30;
  const calls: Span[] = [];
  for (let c = 0; c < 4; c++) {
    const service = SERVICES[(type * 2 + c) % SERVICES.length] as string;
    const dur = 200 + ((i * 7 + c * 13) % 100) + (c === 3 ? slow : 0);
    calls.push(
      {
        traceId,
        id: id(2 + c * 2),
        parentId: id(0),
        name: `call ${service}`,
        kind: 'CLIENT',
        timestamp: t,
        duration: dur + 20,
        localEndpoint: { serviceName: 'gw' },
        remoteEndpoint: { serviceName: service },
      },
      {
        traceId,
        id: id(3 + c * 2),
        parentId: id(2 + c * 2),
        name: `op${type}`,
        kind: 'SERVER',
        timestamp: t + 10,
        duration: dur,
        localEndpoint: { serviceName: service },
        tags: { 'cpu.ms': (dur / 2000).toFixed(3), 'peak_mem.kb': String(10_000 + (i % 500)) },
      },
    );
    t += dur + 30;
  }
  spans.push(
    {
      traceId,
      id: id(0),
      name: `get /t${type}`,
      kind: 'SERVER',
      timestamp: startUs,
      duration: t - startUs + 20,
      localEndpoint: { serviceName: 'gw' },
      tags: { 'http.method': 'GET' },
    },
    {
      traceId,
      id: id(1),
      parentId: id(0),
      name: 'parse',
      timestamp: startUs + 5,
      duration: 20,
      localEndpoint: { serviceName: 'gw' },
    },
    ...calls,
  );
  return spans;
}

const nowUs = (): number => Date.now() * 1000;

async function fill(): Promise<{ seconds: number }> {
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const store = await SqliteTraceStore.open({ dataDir: dir, summarizer: createTraceSummarizer() });
  const spanUs = (HOURS * 3_600_000_000) / N;
  const origin = nowUs() - HOURS * 3_600_000_000;
  const BATCH = 2000;
  for (let b = 0; b < N; b += BATCH) {
    const spans: Span[] = [];
    for (let i = b; i < Math.min(N, b + BATCH); i++) spans.push(...trace(i, Math.round(origin + i * spanUs)));
    await store.append(spans);
    if (b % 100_000 === 0) process.stderr.write(`filled ${b} traces\n`);
  }
  await store.close();
  return { seconds: (performance.now() - started) / 1000 };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** CPU seconds (user + system) of this process so far. */
function cpuSeconds(): number {
  const usage = process.resourceUsage();
  return (usage.userCPUTime + usage.systemCPUTime) / 1e6;
}

async function runPhase(name: string): Promise<Record<string, number>> {
  const started = performance.now();
  const all = { window: { startUs: 0, endUs: nowUs() + 3_600_000_000 } };
  if (name === 'ours' || name === 'ours-two-passes') {
    const store = await SqliteTraceStore.open({ dataDir: dir, summarizer: createTraceSummarizer() });
    const source = new StoreSource(store, 'bench');
    const both =
      name === 'ours'
        ? await analyzeTypesAndAnomalies(source, all)
        : { ...(await analyzeTypes(source, all)), ...(await analyzeAnomalies(source, all)) };
    await source.close();
    const traces = both.types.reduce((a, t) => a + t.count, 0);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds(),
      rssMb: peakRssMb(),
      traces,
      types: both.types.length,
      anomalies: both.total,
    };
  }
  if (name === 'summary-floor') {
    const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
    let values = 0;
    const rows = db.prepare('SELECT ts, tkey, trace_id, grp, data FROM summaries').raw().iterate();
    for (const row of rows as Iterable<[number, number, string, number, string]>) {
      values += (JSON.parse(row[4]) as unknown[]).length;
    }
    db.close();
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds(),
      rssMb: peakRssMb(),
      values,
    };
  }
  if (name === 'bare') {
    const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
    let spans = 0;
    for (const data of db.prepare('SELECT data FROM chunks').pluck().iterate() as Iterable<string>) {
      spans += (JSON.parse(data) as unknown[]).length;
    }
    db.close();
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds(),
      rssMb: peakRssMb(),
      spans,
    };
  }
  // naive: seed 004 pulls traces from Jaeger and aggregates per trace.
  const collector = await startCollector({ port: 0, otlpPort: null, dataDir: dir, log: () => {} });
  const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
  const ids = db.prepare(`SELECT trace_id FROM chunks LIMIT ${NAIVE}`).pluck().all() as string[];
  db.close();
  const t0 = performance.now();
  const perType = new Map<string, number[]>();
  for (const id of ids) {
    const body = (await (await fetch(`${collector.url}/api/traces/${id}`)).json()) as {
      data: {
        spans: { operationName: string; duration: number; processID: string }[];
        processes: Record<string, { serviceName: string }>;
      }[];
    };
    const t = body.data[0];
    if (t === undefined) continue;
    const key = [
      ...new Set(t.spans.map((s) => `${t.processes[s.processID]?.serviceName}:${s.operationName}`)),
    ]
      .sort()
      .join(',');
    const list = perType.get(key) ?? [];
    list.push(Math.max(...t.spans.map((s) => s.duration)));
    perType.set(key, list);
  }
  const perTraceS = (performance.now() - t0) / 1000 / ids.length;
  await collector.close();
  void analyzeTrace;
  return { seconds: perTraceS * N, measuredTraces: ids.length, rssMb: peakRssMb() };
}

function child(name: string): Record<string, number> {
  const result = spawnSync(
    process.execPath,
    [
      process.argv[1] ?? '',
      '--phase',
      name,
      '--traces',
      String(N),
      '--hours',
      String(HOURS),
      '--naive',
      String(NAIVE),
      '--dir',
      dir,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  const line = result.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(line) as Record<string, number>;
}

interface ApiLatency {
  p50Ms: number;
  p99Ms: number;
  traces: number;
  /** CPU ms of this process (collector and client) per request. */
  cpuMsPerRequest: number;
}

/**
 * `GET /api/hivelab/types` over the store's last 15 minutes, 30 times after 3 warm-up calls,
 * from a collector on the store: with or without its types cache, and optionally with
 * `arriving` new traces appended (into the window's newest seconds) before each request,
 * so the cache has a changed bucket to read again every time.
 */
async function apiLatency(typesCache: boolean, arriving = 0): Promise<ApiLatency> {
  const db = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
  const newestUs = db.prepare('SELECT max(ts) FROM summaries').pluck().get() as number;
  const extra = db.prepare('SELECT count(*) FROM summaries').pluck().get() as number;
  db.close();
  const newestMs = Math.ceil(newestUs / 1000) + 1;
  const url = `/api/hivelab/types?start=${newestMs - 15 * 60_000}&end=${newestMs}`;
  const collector = await startCollector({
    port: 0,
    otlpPort: null,
    dataDir: dir,
    log: () => {},
    typesCache,
  });
  const times: number[] = [];
  let traces = 0;
  let cpuUs = 0;
  for (let i = 0; i < 33; i++) {
    if (arriving > 0) {
      const spans: Span[] = [];
      for (let k = 0; k < arriving; k++) {
        const n = extra + i * arriving + k;
        spans.push(...trace(n, newestUs - 500_000 + ((n * 997) % 400_000)));
      }
      await collector.store.append(spans);
    }
    const cpu = process.cpuUsage();
    const t = performance.now();
    const body = (await (await fetch(`${collector.url}${url}`)).json()) as { types: { count: number }[] };
    if (i >= 3) {
      times.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      cpuUs += used.user + used.system;
    }
    traces = body.types.reduce((a, x) => a + x.count, 0);
  }
  await collector.close();
  const { p50Ms, p99Ms } = latencyMs(times);
  return { p50Ms, p99Ms, traces, cpuMsPerRequest: cpuUs / 1000 / 30 };
}

async function apiLatencies(): Promise<Record<string, ApiLatency>> {
  return {
    uncached: await apiLatency(false),
    cached: await apiLatency(true),
    cachedArriving: await apiLatency(true, 200),
    uncachedArriving: await apiLatency(false, 200),
  };
}

function apiLine(name: string, api: ApiLatency): string {
  return `GET /api/hivelab/types, last 15 min, ${name.padEnd(40)} (${api.traces} traces): p50 ${api.p50Ms.toFixed(1)} ms, p99 ${api.p99Ms.toFixed(1)} ms, CPU ${api.cpuMsPerRequest.toFixed(0)} ms/request (goal p99 < 500)`;
}

async function main(): Promise<void> {
  if (phase === 'fill') {
    console.log(JSON.stringify(existsSync(path.join(dir, SQLITE_FILE_NAME)) ? { seconds: 0 } : await fill()));
    return;
  }
  if (phase === 'api') {
    const api = await apiLatencies();
    for (const [name, result] of Object.entries(api)) console.log(apiLine(name, result));
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    writeFileSync(path.join(here, 'analyzer-api.json'), JSON.stringify({ load: os.loadavg(), api }, null, 2));
    return;
  }
  if (phase !== undefined) {
    console.log(JSON.stringify(await runPhase(phase)));
    return;
  }
  const filled = existsSync(path.join(dir, SQLITE_FILE_NAME)) ? { seconds: 0 } : await fill();
  // The floor first: it brings the summaries into the OS page cache, so ours is not charged
  // for a cold read of a 4.5 GB file (run first, ours took 31 s beside 9 s for two passes).
  const floor = child('summary-floor');
  const ours = child('ours');
  const twoPasses = child('ours-two-passes');
  const bare = child('bare');
  const naive = child('naive');
  const api = await apiLatencies();
  const rows = [
    ['ours (analyze types + anomalies, one pass, --data)', ours],
    ['ours, two passes (types, then anomalies)', twoPasses],
    ['floor of the summary path (read + JSON.parse every summary)', floor],
    ['bare limit (JSON.parse of every stored chunk)', bare],
    [`naive, seed 004 (Jaeger API per trace; ${NAIVE} measured, scaled)`, naive],
  ] as const;
  console.log(
    `\nanalyzer bench: ${N} traces x 10 spans over ${HOURS} h (store fill ${filled.seconds.toFixed(1)} s, 0 = reused)`,
  );
  console.log(
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  console.log(
    'what                                                            seconds   CPU s   peak RSS MB   vs ours',
  );
  for (const [name, r] of rows) {
    const cpu = r.cpuSeconds === undefined ? '-' : r.cpuSeconds.toFixed(2);
    console.log(
      `${name.padEnd(64)}${(r.seconds ?? 0).toFixed(2).padStart(8)}${cpu.padStart(8)}   ${String(r.rssMb ?? '-').padStart(11)}   ${((r.seconds ?? 0) / (ours.seconds ?? 1)).toFixed(1)}x`,
    );
  }
  console.log(`types: ${ours.types}, traces: ${ours.traces}, anomalies flagged: ${ours.anomalies}`);
  for (const [name, result] of Object.entries(api)) console.log(apiLine(name, result));
  writeFileSync(
    path.join(here, 'analyzer.json'),
    JSON.stringify(
      { N, HOURS, load: os.loadavg(), filled, ours, twoPasses, floor, bare, naive, api },
      null,
      2,
    ),
  );
}

await main();
