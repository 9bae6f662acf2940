/**
 * Gateway benchmark on the built-in helloworld (HTTP/1.1), side by side in one run:
 *   bare — a plain `http.createServer` hello server: the floor for one loopback hop, so the
 *          runner's own overhead (web Request/Response adapter) shows as direct vs bare,
 *   direct — calling the instance on its own port (the limit for the gateway),
 *   gateway — through hivelab's gateway (routing, activator lease, proxy, headers),
 *   peer — through a minimal Node pipe proxy (bench/lib/http-proxy-peer.ts: http.request +
 *          pipe, keep-alive), the simplest reverse proxy one would write, as the peer to beat,
 *   relay — a TCP relay to the instance (one upstream socket per client socket, bytes piped,
 *          no HTTP at all): the floor for one extra hop through a Node process here.
 * (1) open-loop latency at a fixed rate with hivelab's invoker (runSchedule + its raw-socket
 *     HTTP client: sends within ~0.5 ms of plan, where node:http on setTimeout ticks ran
 *     late by milliseconds), from the scheduled time (no coordinated omission) and from the
 *     actual send; "added" = target − direct in the same round, median over interleaved
 *     rounds (bare, direct, gateway, peer, bare, …). The goal is judged from the send: the
 *     generator's lateness is not the gateway's. (2) max throughput with autocannon.
 *
 *   npm run bench -- gateway                       # ~1 min: 3 rounds of 3 s, 2 s throughput
 *   npm run bench -- gateway --rounds 5 --seconds 10 --throughput-seconds 20 --connections 64
 *   npm run bench -- gateway --profile /tmp/prof   # + a --cpu-prof of the server process
 *   npm run bench -- gateway --trace-gc --targets gateway   # GC events of the server process
 *   npm run bench -- gateway --pacer spin          # the invoker's default pacer (see below)
 *
 * The load generator times its sends with the invoker's `thread` pacer by default: the goal
 * is judged on latency from the actual send, so its lateness does not count, while the
 * `spin` pacer's busy core would compete with the gateway and the instance for this
 * machine's 2 cores and show up in their tail.
 *
 * CPU per request (the server process: gateway, peer and bare all live there; and the
 * direct instance, another process) is the figure to trust on a busy machine: latency and
 * throughput move with the neighbours, CPU time per request hardly does.
 *
 * The servers run in a child process (this file with --role=server), so the load generator
 * does not share an event loop with the gateway.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createHttpClient,
  mulberry32,
  rateSchedule,
  runSchedule,
  summarizeRun,
  watchSelf,
} from '../src/invoker/index.js';
import type { TargetClient } from '../src/invoker/index.js';
import { builtinFunctionSpec, createSandboxDriver, startPlatform } from '../src/platform/index.js';
import type { FunctionSpec } from '../src/platform/index.js';
import { benchFlags } from './lib/bench-kit.js';
import { startHttpProxy } from './lib/http-proxy-peer.js';

const flags = benchFlags({
  rate: { type: 'number', default: 1000 },
  seconds: { type: 'number', default: 3 },
  rounds: { type: 'number', default: 3, integer: true },
  throughputSeconds: { type: 'number', default: 2 },
  connections: { type: 'number', default: 32, integer: true },
  profile: { type: 'string' },
  targets: { type: 'string' },
  pacer: { type: 'string', default: 'thread' },
  traceGc: { type: 'boolean' },
  /** `server`: the child this bench spawns to serve the targets. */
  role: { type: 'string' },
});

interface ServerInfo {
  bareUrl: string;
  directUrl: string;
  gatewayUrl: string;
  gatewayHost: string;
  peerUrl: string;
  relayUrl: string;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

/** The built-in helloworld over HTTP/1.1, pinned to one instance. */
function helloworldSpec(): FunctionSpec {
  const base = builtinFunctionSpec('builtin:helloworld', 'helloworld', { protocol: 'http1' });
  // One instance for all three targets: the autoscaler would otherwise (rightly) add
  // instances under the backlog of an overloaded run, and that measures scaling, not the proxy.
  return { ...base, autoscaling: { ...base.autoscaling, minScale: 1, maxScale: 1, initialScale: 1 } };
}

async function serve(): Promise<void> {
  const spec = helloworldSpec();
  const driver = createSandboxDriver('process', {});
  const direct = driver.launch(spec, 'bench-direct');
  await direct.ready;
  const platform = await startPlatform({ port: 0 });
  await platform.deploy(spec);
  const directUrl = `http://127.0.0.1:${direct.port}`;
  const peer = await startHttpProxy(direct.port);
  // The same answer helloworld gives, with no framework at all.
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '13' });
    res.end('Hello, bench!');
  });
  bare.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  // One upstream connection per client connection, bytes passed through untouched.
  const relay = net.createServer({ noDelay: true }, (socket) => {
    const upstream = net.connect({ host: '127.0.0.1', port: direct.port, noDelay: true });
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const info: ServerInfo = {
    bareUrl: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
    directUrl,
    gatewayUrl: platform.url,
    gatewayHost: `helloworld.default.localhost:${new URL(platform.url).port}`,
    peerUrl: `http://127.0.0.1:${peer.port}`,
    relayUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  // `cpu` on stdin → `cpu <this process's CPU µs> <the direct instance's CPU µs>` on stdout: the
  // cost per request, which a busy machine distorts far less than latency.
  process.stdin.on('data', (chunk: Buffer) => {
    for (const _ of chunk
      .toString()
      .split('\n')
      .filter((l) => l === 'cpu')) {
      const usage = process.cpuUsage();
      process.stdout.write(`cpu ${usage.user + usage.system} ${direct.usage().cpuUs}\n`);
    }
  });
  process.stdin.on('end', () => {
    void (async () => {
      bare.close();
      bare.closeAllConnections();
      void peer.close();
      relay.close();
      await platform.close();
      await direct.stop(1000);
      await driver.close();
      process.exit(0);
    })();
  });
}

/** One open-loop run against one target: percentiles in µs, from the scheduled and the actual send. */
interface LatencyRun {
  fromScheduled: { p50: number; p99: number; p999: number };
  fromSend: { p50: number; p99: number; p999: number };
  latenessP99Us: number;
  errors: number;
  /** Server-process CPU per request during the run, µs (gateway, peer and bare live there). */
  serverCpuUs: number;
}

/**
 * Open loop with hivelab's invoker (precise schedule, raw-socket keep-alive client): request i
 * goes out at start + i/rate whatever the answers do. Latency from the scheduled time counts
 * the generator's own lateness too; from the actual send isolates the target.
 */
async function openLoop(
  client: TargetClient,
  hostname: string,
  rate: number,
  seconds: number,
  cpuUs: () => Promise<{ server: number }>,
): Promise<LatencyRun> {
  const schedule = rateSchedule({ rps: rate, durationS: seconds }, mulberry32(1));
  const cpuBefore = await cpuUs();
  const stop = watchSelf();
  const run = await runSchedule({
    schedule,
    client,
    plan: () => ({ hostname, endpoint: hostname, headers: {} }),
    pacer: flags.pacer === 'spin' ? 'spin' : 'thread',
  });
  const self = stop();
  const cpuAfter = await cpuUs();
  const s = summarizeRun(run.records, {
    runId: 'gateway',
    seed: 1,
    targetRps: rate,
    plannedDurationS: seconds,
    self,
  });
  const pick = (p: { p50: number; p99: number; p999: number }) => ({ p50: p.p50, p99: p.p99, p999: p.p999 });
  return {
    fromScheduled: pick(s.latencyFromScheduledUs),
    fromSend: pick(s.latencyFromSendUs),
    latenessP99Us: s.latenessUs.p99,
    errors: s.failed,
    serverCpuUs: (cpuAfter.server - cpuBefore.server) / Math.max(1, s.issued),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

async function main(): Promise<void> {
  const { rate, seconds, rounds, throughputSeconds, connections } = flags;
  const profileDir = flags.profile;
  const self = fileURLToPath(import.meta.url);
  const nodeArgs = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    ...(flags.traceGc ? ['--trace-gc'] : []),
  ];
  const server = spawn(process.execPath, [...nodeArgs, self, '--role=server'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let pending = '';
  server.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      // --trace-gc writes to stdout too: pass it on, it is not an answer.
      if (!line.startsWith('{') && !line.startsWith('cpu ')) {
        console.log(`[server] ${line}`);
        continue;
      }
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<never>((_, reject) =>
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const nextLine = (): Promise<string> =>
    Promise.race([
      lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((r) => waiting.push(r)),
      exited,
    ]);
  /** CPU time so far, µs: of the server process, and of the direct instance. */
  const cpuUs = async (): Promise<{ server: number; instance: number }> => {
    server.stdin.write('cpu\n');
    const [, serverUs, instanceUs] = (await nextLine()).split(' ').map(Number);
    return { server: serverUs ?? 0, instance: instanceUs ?? 0 };
  };
  const info = JSON.parse(await nextLine()) as ServerInfo;
  const allTargets = [
    { name: 'bare', url: info.bareUrl, host: undefined },
    { name: 'direct', url: info.directUrl, host: undefined },
    { name: 'gateway', url: info.gatewayUrl, host: info.gatewayHost },
    { name: 'peer', url: info.peerUrl, host: undefined },
    { name: 'relay', url: info.relayUrl, host: undefined },
  ] as const;

  // `--targets gateway,direct`: a subset, e.g. to profile one path alone (the table needs direct).
  const only = flags.targets?.split(',');
  const targets = allTargets.filter((t) => t.name === 'direct' || !only || only.includes(t.name));
  const clients = new Map(
    targets.map((t) => {
      const url = new URL(t.url);
      const client = createHttpClient({ port: Number(url.port), path: '/?name=bench', timeoutMs: 10_000 });
      return [t.name, { client, hostname: t.host ?? url.host }] as const;
    }),
  );
  for (const t of targets) {
    console.log(`warm-up: ${t.name} …`);
    const { client, hostname } = clients.get(t.name)!;
    await openLoop(client, hostname, rate, 1, cpuUs); // connections, JIT
  }
  // Rounds interleave the targets (bare, direct, gateway, peer, bare, …) so each sees the
  // same neighbour load; "added" is taken per round against that round's direct run.
  const runs = new Map<string, LatencyRun[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= rounds; round++) {
    console.log(`latency round ${round}/${rounds}: ${targets.map((t) => t.name).join(', ')} …`);
    for (const t of targets) {
      const { client, hostname } = clients.get(t.name)!;
      runs.get(t.name)!.push(await openLoop(client, hostname, rate, seconds, cpuUs));
    }
  }
  for (const { client } of clients.values()) client.close();
  const require = createRequire(import.meta.url);
  const autocannon = require('autocannon') as Autocannon;
  const throughput: Record<string, AutocannonResult> = {};
  const serverCpuUsPerRequest: Record<string, number> = {};
  const instanceCpuUsPerRequest: Record<string, number> = {};
  for (const t of targets) {
    console.log(`throughput: ${t.name} …`);
    const cpuBefore = await cpuUs();
    throughput[t.name] = await autocannon({
      url: `${t.url}/?name=bench`,
      connections,
      duration: throughputSeconds,
      ...(t.host ? { headers: { host: t.host } } : {}),
    });
    const served = throughput[t.name]!.requests.average * throughputSeconds;
    const cpuAfter = await cpuUs();
    serverCpuUsPerRequest[t.name] = served > 0 ? (cpuAfter.server - cpuBefore.server) / served : 0;
    instanceCpuUsPerRequest[t.name] = served > 0 ? (cpuAfter.instance - cpuBefore.instance) / served : 0;
  }
  console.log('stopping the servers …');
  server.stdin.end();
  await new Promise((resolve) => server.once('exit', resolve));

  const directRuns = runs.get('direct')!;
  const rows = targets.map((t) => {
    const r = runs.get(t.name)!;
    const th = throughput[t.name]!;
    const proxied = t.name !== 'bare' && t.name !== 'direct';
    /** Median over rounds of (this target − direct) in the same round. */
    const added = (get: (run: LatencyRun) => number): number =>
      proxied ? median(r.map((run, i) => get(run) - get(directRuns[i]!))) : 0;
    return {
      target: t.name,
      sched_p50_us: median(r.map((x) => x.fromScheduled.p50)),
      sched_p99_us: median(r.map((x) => x.fromScheduled.p99)),
      send_p50_us: median(r.map((x) => x.fromSend.p50)),
      send_p99_us: median(r.map((x) => x.fromSend.p99)),
      added_send_p50_us: added((x) => x.fromSend.p50),
      added_send_p99_us: added((x) => x.fromSend.p99),
      added_sched_p50_us: added((x) => x.fromScheduled.p50),
      added_sched_p99_us: added((x) => x.fromScheduled.p99),
      late_p99_us: median(r.map((x) => x.latenessP99Us)),
      cpu_us_at_rate: Math.round(median(r.map((x) => x.serverCpuUs))),
      max_rps: Math.round(th.requests.average),
      rps_vs_direct: Number((th.requests.average / throughput.direct!.requests.average).toFixed(3)),
      errors: r.reduce((sum, x) => sum + x.errors, 0) + th.errors + th.non2xx,
      // CPU per request at max throughput, of the server process (gateway, peer proxy or bare
      // server; ≈0 for direct) and of the direct instance (the runner; ≈0 for bare and for
      // the gateway, which has its own instance).
      server_cpu_us_per_req: Math.round(serverCpuUsPerRequest[t.name]!),
      instance_cpu_us_per_req: Math.round(instanceCpuUsPerRequest[t.name]!),
    };
  });
  console.log(
    `gateway benchmark: open loop ${rate} req/s, ${rounds} interleaved rounds of ${seconds} s (medians of rounds); ` +
      `autocannon ${connections} connections for ${throughputSeconds} s`,
  );
  console.table(rows);
  const byName = (name: string) => rows.find((r) => r.target === name);
  const gateway = byName('gateway');
  const peer = byName('peer');
  const bareRow = byName('bare');
  const directRow = byName('direct')!;
  if (gateway) {
    const met = gateway.added_send_p50_us <= 100 && gateway.added_send_p99_us <= 1000;
    console.log(
      `gateway adds, from the actual send (the goal's figure: the generator's own lateness is not the gateway's): ` +
        `p50 ${gateway.added_send_p50_us} µs (goal <= 100), p99 ${gateway.added_send_p99_us} µs (goal <= 1000): ` +
        `${met ? 'met' : 'NOT met'}; from the scheduled time: p50 ${gateway.added_sched_p50_us} µs, ` +
        `p99 ${gateway.added_sched_p99_us} µs. Throughput ${gateway.rps_vs_direct}× direct; proxy CPU per request ` +
        `${gateway.server_cpu_us_per_req} µs (${gateway.cpu_us_at_rate} µs at ${rate}/s)` +
        (peer
          ? `; peer proxy adds p50 ${peer.added_send_p50_us} / p99 ${peer.added_send_p99_us} µs, ` +
            `${peer.rps_vs_direct}× direct, CPU per request ${peer.server_cpu_us_per_req} µs (${peer.cpu_us_at_rate} at ${rate}/s)`
          : ''),
    );
  }
  if (bareRow) {
    console.log(
      `runner: direct ${directRow.max_rps} req/s vs bare ${bareRow.max_rps} req/s ` +
        `(${(directRow.max_rps / Math.max(1, bareRow.max_rps)).toFixed(3)}×); instance CPU per request ` +
        `${directRow.instance_cpu_us_per_req} µs vs bare server ${bareRow.server_cpu_us_per_req} µs`,
    );
  }
  if (directRow.send_p50_us > 10_000) {
    console.log(
      `warning: even direct calls took p50 ${(directRow.send_p50_us / 1000).toFixed(1)} ms at ${rate} req/s: the ` +
        'machine could not sustain the rate, so the latency columns measure queueing, not the gateway. ' +
        'Rerun on a quiet machine, or lower --rate.',
    );
  }
  const out = path.join(path.dirname(self), 'gateway.json');
  const perRound = Object.fromEntries(runs);
  writeFileSync(
    out,
    `${JSON.stringify({ rate, seconds, rounds, throughputSeconds, connections, at: new Date().toISOString(), rows, perRound }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

if (flags.role === 'server') await serve();
else await main();
