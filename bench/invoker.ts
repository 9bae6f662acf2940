/**
 * Invoker benchmark (issue 4): how fast and how accurately hivelab's open-loop invoker
 * sends, against a trivial HTTP server in a child process, side by side in one run:
 *   ours-thread, ours-spin — hivelab's runner + HTTP client (keep-alive, at most
 *                --connections connections), equidistant schedule, timed by each pacer;
 *                the default (`spin`) is marked `*` and is what "ours" means in the summary;
 *   autocannon — the peer, rate-limited with `overallRate` (its `-R`), same server;
 *   wrk        — Debian's wrk 4 (closed loop, no rate option): the server's bare limit.
 * (1) the highest rate ours sustains with p99 send lateness <= 1 ms and the rate within 1 %
 *     (step rates), and the highest rate autocannon holds within 1 %; (2) achieved-rate
 *     accuracy at 1 000 and 10 000 requests/s. Ratios: ours / autocannon, ours / wrk.
 *
 *   npm run bench -- invoker                                   # short: 2 s per step
 *   npm run bench -- invoker --seconds 10 --rates 1000,2000,4000,6000,8000,10000,15000,20000   # full
 *
 * Flags: --seconds N (per step, default 2), --rates a,b,c (default 1000,2000,5000,10000,15000,20000),
 * --connections N (autocannon and wrk, default 64), --warmup S (ours: a discarded run of S
 * seconds at the step's rate first, so JIT and connection set-up fall outside; default 0.5).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createHttpClient,
  type PacerKind,
  rateSchedule,
  runSchedule,
  summarizeRun,
  mulberry32,
  watchSelf,
} from '../src/invoker/index.js';
import { benchFlags } from './lib/bench-kit.js';

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
}) => Promise<AutocannonResult>;

interface Row {
  tool: 'ours-thread' | 'ours-spin' | 'autocannon' | 'wrk';
  /** Ours, with the default pacer. */
  auto?: boolean;
  targetRps: number | null;
  achievedRps: number;
  /** achieved / target */
  accuracy: number | null;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latenessP99Ms: number | null;
  cpuCores: number | null;
  errors: number;
  ok: boolean;
}

const flags = benchFlags({
  seconds: { type: 'number', default: 2 },
  connections: { type: 'number', default: 64, integer: true },
  warmup: { type: 'number', default: 0.5, min: 0 },
  rates: { type: 'list', default: ['1000', '2000', '5000', '10000', '15000', '20000'] },
});
const { seconds, connections } = flags;
const warmupS = flags.warmup;
const rates = flags.rates.map((r) => {
  const n = Number(r);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--rates: expected positive numbers separated by commas, got "${r}"`);
  return n;
});

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); });
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { port, child };
}

async function runOurs(port: number, rps: number, pacer: PacerKind): Promise<Row> {
  // Same connection budget as autocannon and wrk, for a like-for-like comparison.
  const client = createHttpClient({ port, timeoutMs: 10_000, maxConnections: connections });
  await client.send({ hostname: 'bench', headers: {} }); // open a first connection
  const plan = () => ({ hostname: 'bench', endpoint: 'bench', headers: {} });
  if (warmupS > 0)
    await runSchedule({
      schedule: rateSchedule({ rps, durationS: warmupS }, mulberry32(2)),
      client,
      plan,
      pacer,
    });
  const schedule = rateSchedule({ rps, durationS: seconds }, mulberry32(1));
  const stop = watchSelf();
  const run = await runSchedule({ schedule, client, plan, pacer });
  const summary = summarizeRun(run.records, {
    runId: 'bench',
    seed: 1,
    targetRps: rps,
    plannedDurationS: seconds,
    self: stop(),
  });
  client.close();
  const lateness = summary.latenessUs.p99 / 1000;
  // Completions over the run (not hand-offs to the client): requests waiting for one of the
  // --connections connections would otherwise count as sent on time.
  const lastCompletionS = Math.max(0, ...run.records.map((r) => r.completedMs)) / 1000;
  const achieved = summary.completed / Math.max(seconds, lastCompletionS);
  const accuracy = achieved / rps;
  return {
    tool: pacer === 'thread' ? 'ours-thread' : 'ours-spin',
    auto: pacer === 'spin',
    targetRps: rps,
    achievedRps: achieved,
    accuracy,
    latencyP50Ms: summary.latencyFromScheduledUs.p50 / 1000,
    latencyP99Ms: summary.latencyFromScheduledUs.p99 / 1000,
    latenessP99Ms: lateness,
    cpuCores: summary.self.cpuCores,
    errors: summary.failed,
    ok: lateness <= 1 && Math.abs(accuracy - 1) <= 0.01 && summary.failed === 0,
  };
}

async function runAutocannon(port: number, rps: number): Promise<Row> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections,
    duration: seconds,
    overallRate: rps,
  });
  const achieved = result.requests.total / seconds;
  const accuracy = achieved / rps;
  return {
    tool: 'autocannon',
    targetRps: rps,
    achievedRps: achieved,
    accuracy,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latenessP99Ms: null,
    cpuCores: null,
    errors: result.errors + result.non2xx,
    ok: Math.abs(accuracy - 1) <= 0.01 && result.errors + result.non2xx === 0,
  };
}

function parseWrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function runWrk(port: number): Row | string {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return 'wrk not found (Debian: apt-get install -y wrk); skipped';
  const threads = 2;
  const out = spawnSync(
    'wrk',
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/`],
    {
      encoding: 'utf8',
    },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout)?.[1];
  if (!rps) return `wrk failed: ${out.stderr || out.stdout}`;
  const p50 = /^\s+50%\s+(\S+)/m.exec(out.stdout)?.[1] ?? '';
  const p99 = /^\s+99%\s+(\S+)/m.exec(out.stdout)?.[1] ?? '';
  return {
    tool: 'wrk',
    targetRps: null,
    achievedRps: Number(rps),
    accuracy: null,
    latencyP50Ms: parseWrkMs(p50),
    latencyP99Ms: parseWrkMs(p99),
    latenessP99Ms: null,
    cpuCores: null,
    errors: 0,
    ok: true,
  };
}

const fmt = (n: number | null, digits = 2): string =>
  n === null || Number.isNaN(n) ? '-' : n.toFixed(digits);

function printRows(rows: Row[]): void {
  console.log(
    [
      'tool',
      'target/s',
      'achieved/s',
      'accuracy',
      'lat p50 ms',
      'lat p99 ms',
      'late p99 ms',
      'cpu',
      'errors',
      'holds',
    ]
      .map((h) => h.padStart(13))
      .join(''),
  );
  for (const r of rows)
    console.log(
      [
        r.auto ? `${r.tool}*` : r.tool,
        fmt(r.targetRps, 0),
        fmt(r.achievedRps, 0),
        fmt(r.accuracy, 4),
        fmt(r.latencyP50Ms),
        fmt(r.latencyP99Ms),
        fmt(r.latenessP99Ms, 3),
        fmt(r.cpuCores),
        String(r.errors),
        r.ok ? 'yes' : 'no',
      ]
        .map((c) => c.padStart(13))
        .join(''),
    );
}

const { port, child } = await startServer();
try {
  console.log(
    `invoker benchmark: ${seconds} s per step, rates ${rates.join(', ')}, server on 127.0.0.1:${port}`,
  );
  const rows: Row[] = [];
  for (const rps of [...rates, ...[1000, 10000].filter((r) => !rates.includes(r))]) {
    rows.push(await runOurs(port, rps, 'thread'));
    rows.push(await runOurs(port, rps, 'spin'));
    rows.push(await runAutocannon(port, rps));
  }
  const wrk = runWrk(port);
  if (typeof wrk !== 'string') rows.push(wrk);
  printRows(rows);

  // "Holds" for ours = rate within 1 % AND p99 send lateness <= 1 ms; autocannon cannot
  // report lateness, so the like-for-like comparison is the rate alone.
  const highest = (tool: Row['tool'], pass: (r: Row) => boolean): number =>
    Math.max(0, ...rows.filter((r) => r.tool === tool && pass(r)).map((r) => r.targetRps ?? 0));
  const withinRate = (r: Row): boolean =>
    r.accuracy !== null && Math.abs(r.accuracy - 1) <= 0.01 && r.errors === 0;
  const highestOurs = (pass: (r: Row) => boolean): number =>
    Math.max(0, ...rows.filter((r) => r.auto === true && pass(r)).map((r) => r.targetRps ?? 0));
  const oursMax = highestOurs((r) => r.ok);
  const oursRateMax = highestOurs(withinRate);
  const oursSpinMax = highest('ours-spin', (r) => r.ok);
  const oursThreadMax = highest('ours-thread', (r) => r.ok);
  const autocannonMax = highest('autocannon', withinRate);
  const wrkMax = typeof wrk === 'string' ? null : wrk.achievedRps;
  const at = (tool: Row['tool'], rps: number): Row | undefined =>
    rows.find((r) => r.tool === tool && r.targetRps === rps);
  const autoAt = (rps: number): Row | undefined => rows.find((r) => r.auto === true && r.targetRps === rps);
  const summary = {
    seconds,
    connections,
    highestRateRps: {
      oursWithLateness1ms: oursMax,
      oursWithin1Pct: oursRateMax,
      oursSpinPacerWithLateness1ms: oursSpinMax,
      oursThreadPacerWithLateness1ms: oursThreadMax,
      autocannonWithin1Pct: autocannonMax,
      wrkBareLimit: wrkMax,
    },
    ratios: {
      oursOverAutocannonWithin1Pct: autocannonMax > 0 ? oursRateMax / autocannonMax : null,
      oursWithLatenessOverWrk: wrkMax ? oursMax / wrkMax : null,
      oursWithin1PctOverWrk: wrkMax ? oursRateMax / wrkMax : null,
    },
    accuracy: Object.fromEntries(
      [1000, 10000].map((rps) => [
        rps,
        {
          ours: autoAt(rps)?.accuracy ?? null,
          oursPacer: autoAt(rps)?.tool ?? null,
          oursLatenessP99Ms: autoAt(rps)?.latenessP99Ms ?? null,
          threadLatenessP99Ms: at('ours-thread', rps)?.latenessP99Ms ?? null,
          spinLatenessP99Ms: at('ours-spin', rps)?.latenessP99Ms ?? null,
          threadCpuCores: at('ours-thread', rps)?.cpuCores ?? null,
          spinCpuCores: at('ours-spin', rps)?.cpuCores ?? null,
          autocannon: at('autocannon', rps)?.accuracy ?? null,
        },
      ]),
    ),
    wrk: typeof wrk === 'string' ? wrk : 'ok',
    rows,
  };
  console.log('');
  console.log(
    `highest rate within 1 %: ours ${oursRateMax}/s, autocannon ${autocannonMax}/s (ratio ${fmt(summary.ratios.oursOverAutocannonWithin1Pct)}); ` +
      `ours with p99 send lateness <= 1 ms too: ${oursMax}/s (thread pacer ${oursThreadMax}/s, spin pacer ${oursSpinMax}/s); wrk bare limit ${fmt(wrkMax, 0)}/s ` +
      `(ours/wrk ${fmt(summary.ratios.oursWithin1PctOverWrk)} by rate, ${fmt(summary.ratios.oursWithLatenessOverWrk)} with lateness)`,
  );
  if (typeof wrk === 'string') console.log(wrk);
  const outFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'invoker.json');
  writeFileSync(outFile, JSON.stringify(summary, null, 2) + '\n');
  console.log(`results: ${outFile}`);
} finally {
  child.kill();
}
