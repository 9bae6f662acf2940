/**
 * Hotel reservation (DeathStarBench) under its mixed workload, open loop, side by side in
 * one run with two floors at the same rates: helloworld over HTTP through the same gateway
 * (one hop, no app work), and the bare limit, a plain Node HTTP server in its own process
 * (no platform at all). For each rate: p50 / p99 / max from the scheduled send (no
 * coordinated omission), success share, and the ratios to the floors; then the highest rate
 * whose p99 stays under 100 ms with every request answered.
 *
 *   flock /tmp/hivelab-cpu.lock npm run bench -- hotel                 # rates 5,10,15,25,50,100; 10 s each
 *   flock /tmp/hivelab-cpu.lock npm run bench -- hotel --rates 50,100 --seconds 20
 *
 * The lab runs in a child process (`hivelab up`), so the load generator does not share an
 * event loop with the gateway. Tracing is off in the lab (spans cost every hop a report).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyManifests, loadManifests } from '../src/deploy/index.js';
import { invoke, readWorkloadFile, type RunSummary } from '../src/invoker/index.js';
import { builtinFunctionSpec, PlatformClient } from '../src/platform/index.js';

import { packageRoot as root } from '../src/package-root.js';
const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '5,10,15,25,50,100' },
    seconds: { type: 'string', default: '10' },
    port: { type: 'string', default: '18980' },
  },
});
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);
const port = Number(values.port);

async function startLab(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'bin', 'hivelab.js'),
      'up',
      '--port',
      String(port),
      '--collector-port',
      '0',
      '--otlp-port',
      '0',
      '--data',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HIVELAB_ZIPKIN_URL: '' } },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('gateway ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hivelab up exited with ${code}: ${out}`)));
  });
  return child;
}

interface Row {
  rps: number;
  target: string;
  summary: RunSummary;
}

/** The bare limit: a plain Node HTTP hello server in its own process, on `barePort`. */
async function startBare(barePort: number): Promise<ChildProcess> {
  const source = `require('http').createServer((q, s) => { q.resume(); s.end('Hello, bench!'); }).listen(${barePort}, '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return child;
}

async function run(target: string, rps: number, workloadFile?: string, toPort = port): Promise<Row> {
  const workload = workloadFile ? await readWorkloadFile(workloadFile) : undefined;
  const result = await invoke({
    endpoints: [{ hostname: target, eventing: false }],
    rps,
    durationS: seconds,
    distribution: 'exponential',
    seed: 1,
    protocol: 'http',
    port: toPort,
    timeoutMs: 10_000,
    workload,
    http: { method: 'GET', path: '/?name=bench' },
    pacer: 'thread',
  });
  const failure = result.records.find((r) => !r.outcome.ok);
  if (failure)
    console.log(
      `  ${target} at ${rps}/s: e.g. ${failure.outcome.errorKind}: ${failure.outcome.errorMessage}`,
    );
  return { rps, target, summary: result.summary };
}

const ms = (us: number): string => (us / 1000).toFixed(2);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-bench-hotel-'));
const lab = await startLab(dataDir);
const barePort = port + 1;
const bare = await startBare(barePort);
try {
  const client = new PlatformClient(`http://127.0.0.1:${port}`);
  await applyManifests(await loadManifests([path.join(root, 'examples', 'hotel')], { env: {} }), client);
  const hello = builtinFunctionSpec('builtin:helloworld', 'hello-floor', { protocol: 'http1' });
  await client.deploy({ ...hello, autoscaling: { ...hello.autoscaling, minScale: 1 } });
  const workloadFile = path.join(root, 'examples', 'hotel-mixed.json');
  await run('frontend.default.localhost', 20, workloadFile); // warm caches and connections
  const rows: Row[] = [];
  console.log(
    `hotel mixed workload vs helloworld through the same gateway (floor) and a bare Node server (bare), ${seconds} s per rate, latency from the scheduled send (ms); load average before: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
  console.log(
    [
      'rate/s',
      'hotel p50',
      'hotel p99',
      'hotel max',
      'ok %',
      'floor p50',
      'floor p99',
      'bare p50',
      'bare p99',
      'p50 ×floor',
      'p99 ×floor',
      'p50 ×bare',
      'p99 ×bare',
    ]
      .map((h) => h.padStart(11))
      .join(''),
  );
  for (const rps of rates) {
    const hotel = await run('frontend.default.localhost', rps, workloadFile);
    const floor = await run('hello-floor.default.localhost', rps);
    const bareRow = await run('bare', rps, undefined, barePort);
    rows.push(hotel, floor, bareRow);
    const h = hotel.summary.latencyFromScheduledUs;
    const f = floor.summary.latencyFromScheduledUs;
    const b = bareRow.summary.latencyFromScheduledUs;
    console.log(
      [
        String(rps),
        ms(h.p50),
        ms(h.p99),
        ms(h.max),
        ((100 * hotel.summary.completed) / hotel.summary.issued).toFixed(1),
        ms(f.p50),
        ms(f.p99),
        ms(b.p50),
        ms(b.p99),
        (h.p50 / f.p50).toFixed(1),
        (h.p99 / f.p99).toFixed(1),
        (h.p50 / b.p50).toFixed(1),
        (h.p99 / b.p99).toFixed(1),
      ]
        .map((c) => c.padStart(11))
        .join(''),
    );
  }
  const sustained = rows
    .filter(
      (r) =>
        r.target.startsWith('frontend') &&
        r.summary.failed === 0 &&
        r.summary.latencyFromScheduledUs.p99 < 100_000,
    )
    .map((r) => r.rps);
  console.log(
    `highest rate tried with p99 < 100 ms and every request answered: ${sustained.length > 0 ? `${Math.max(...sustained)}/s` : 'none'}`,
  );
  for (const k of rows.filter((r) => r.target.startsWith('frontend')).at(-1)?.summary.byKind ?? [])
    console.log(
      `  at the last rate, ${k.kind}: ${k.issued} sent, p50 ${ms(k.latencyFromScheduledUs.p50)} p99 ${ms(k.latencyFromScheduledUs.p99)}`,
    );
  writeFileSync(
    path.join(root, 'bench', 'results', 'hotel.json'),
    JSON.stringify({ seconds, loadAverage: os.loadavg(), rows }, null, 2),
  );
  console.log(
    `load average after the run: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  );
} finally {
  bare.kill('SIGTERM');
  lab.kill('SIGTERM');
  await new Promise((resolve) => lab.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
