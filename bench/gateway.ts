/**
 * Gateway benchmark on the built-in helloworld (HTTP/1.1), side by side in one run:
 *   bare — a plain `http.createServer` hello server: the floor for one loopback hop, so the
 *          runner's own overhead (web Request/Response adapter) shows as direct vs bare,
 *   direct — calling the instance on its own port (the limit for the gateway),
 *   gateway — through hivelab's gateway (routing, activator lease, proxy, headers),
 *   peer — through a minimal Node pipe proxy (http.request + pipe, keep-alive), the
 *          simplest reverse proxy one would write, as the peer to beat.
 * (1) open-loop latency at a fixed rate (from the scheduled send time, so no coordinated
 *     omission), added latency over direct; (2) max throughput with autocannon (keep-alive).
 *
 *   npm run bench -- gateway                       # short: 5 s latency, 5 s throughput
 *   npm run bench -- gateway --seconds 30 --throughput-seconds 20 --connections 64   # full
 *   npm run bench -- gateway --profile /tmp/prof   # + a --cpu-prof of the server process
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
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { builtinFunctionSpec, createSandboxDriver, startPlatform } from '../src/platform/index.js';
import type { FunctionSpec } from '../src/platform/index.js';

interface ServerInfo {
  bareUrl: string;
  directUrl: string;
  gatewayUrl: string;
  gatewayHost: string;
  peerUrl: string;
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

function textFlag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : process.argv[index + 1];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

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
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const peer = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: direct.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: upstreamAgent,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  // The same answer helloworld gives, with no framework at all.
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '13' });
    res.end('Hello, bench!');
  });
  bare.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const info: ServerInfo = {
    bareUrl: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
    directUrl,
    gatewayUrl: platform.url,
    gatewayHost: `helloworld.default.localhost:${new URL(platform.url).port}`,
    peerUrl: `http://127.0.0.1:${(peer.address() as AddressInfo).port}`,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  // `cpu` on stdin → `<this process's CPU µs> <the direct instance's CPU µs>` on stdout: the
  // cost per request, which a busy machine distorts far less than latency.
  process.stdin.on('data', (chunk: Buffer) => {
    for (const _ of chunk
      .toString()
      .split('\n')
      .filter((l) => l === 'cpu')) {
      const usage = process.cpuUsage();
      process.stdout.write(`${usage.user + usage.system} ${direct.usage().cpuUs}\n`);
    }
  });
  process.stdin.on('end', () => {
    void (async () => {
      bare.close();
      bare.closeAllConnections();
      peer.close();
      await platform.close();
      await direct.stop(1000);
      await driver.close();
      process.exit(0);
    })();
  });
}

interface LatencyResult {
  p50Us: number;
  p99Us: number;
  p999Us: number;
  sent: number;
  errors: number;
}

/** Open loop: request i is due at start + i/rate; latency counts from that due time. */
async function openLoop(
  url: string,
  host: string | undefined,
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  // The schedule is fixed before the first send: request i is due at dueMs[i], whatever
  // the responses do (open loop), and its latency counts from that due time.
  const total = Math.round(rate * seconds);
  const target = new URL('/?name=bench', url);
  const headers = host ? { host } : {};
  let errors = 0;
  let done = 0;
  const start = performance.now() + 1;
  const dueMs = Float64Array.from({ length: total }, (_, i) => start + (i * 1000) / rate);
  await new Promise<void>((resolve) => {
    let next = 0;
    const send = (due: number): void => {
      const req = http.request(target, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          histogram.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
          if (++done === total) resolve();
        });
      });
      req.on('error', () => {
        errors++;
        if (++done === total) resolve();
      });
      req.end();
    };
    // Timers fire late on a busy machine; whatever fell due meanwhile goes out at once
    // and still counts from its own due time.
    const tick = (): void => {
      const now = performance.now();
      while (next < total && dueMs[next]! <= now) send(dueMs[next++]!);
      if (next < total) setTimeout(tick, Math.max(0, Math.min(1, dueMs[next]! - now)));
    };
    setTimeout(tick, 1);
  });
  agent.destroy();
  return {
    p50Us: histogram.getValueAtPercentile(50),
    p99Us: histogram.getValueAtPercentile(99),
    p999Us: histogram.getValueAtPercentile(99.9),
    sent: total,
    errors,
  };
}

async function main(): Promise<void> {
  const rate = flag('rate', 1000);
  const seconds = flag('seconds', 5);
  const throughputSeconds = flag('throughput-seconds', 5);
  const connections = flag('connections', 32);
  const profileDir = textFlag('profile');
  const self = fileURLToPath(import.meta.url);
  const profileArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const server = spawn(process.execPath, [...profileArgs, self, '--role=server'], {
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
    const [serverUs, instanceUs] = (await nextLine()).split(' ').map(Number);
    return { server: serverUs ?? 0, instance: instanceUs ?? 0 };
  };
  const info = JSON.parse(await nextLine()) as ServerInfo;
  const allTargets = [
    { name: 'bare', url: info.bareUrl, host: undefined },
    { name: 'direct', url: info.directUrl, host: undefined },
    { name: 'gateway', url: info.gatewayUrl, host: info.gatewayHost },
    { name: 'peer', url: info.peerUrl, host: undefined },
  ] as const;

  // `--targets gateway,direct`: a subset, e.g. to profile one path alone (the table needs direct).
  const only = textFlag('targets')?.split(',');
  const targets = allTargets.filter((t) => t.name === 'direct' || !only || only.includes(t.name));
  const latency: Record<string, LatencyResult> = {};
  for (const t of targets) {
    console.log(`latency: ${t.name} …`);
    await openLoop(t.url, t.host, rate, 1); // warm-up: connections, JIT
    latency[t.name] = await openLoop(t.url, t.host, rate, seconds);
  }
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

  const direct = latency.direct!;
  const rows = targets.map((t) => {
    const l = latency[t.name]!;
    const th = throughput[t.name]!;
    const proxied = t.name === 'gateway' || t.name === 'peer';
    return {
      target: t.name,
      p50_us: l.p50Us,
      p99_us: l.p99Us,
      p999_us: l.p999Us,
      added_p50_us: proxied ? l.p50Us - direct.p50Us : 0,
      added_p99_us: proxied ? l.p99Us - direct.p99Us : 0,
      latency_errors: l.errors,
      max_rps: Math.round(th.requests.average),
      rps_vs_direct: Number((th.requests.average / throughput.direct!.requests.average).toFixed(3)),
      throughput_errors: th.errors + th.non2xx,
      // CPU per request of the server process (gateway, peer proxy or bare server; ≈0 for
      // direct) and of the direct instance (the runner; ≈0 for bare and for the gateway,
      // which has its own instance).
      server_cpu_us_per_req: Math.round(serverCpuUsPerRequest[t.name]!),
      instance_cpu_us_per_req: Math.round(instanceCpuUsPerRequest[t.name]!),
    };
  });
  console.log(
    `gateway benchmark: open loop ${rate} req/s for ${seconds} s; autocannon ${connections} connections for ${throughputSeconds} s`,
  );
  console.table(rows);
  const byName = (name: string) => rows.find((r) => r.target === name);
  const gateway = byName('gateway');
  const peer = byName('peer');
  const bareRow = byName('bare');
  const directRow = byName('direct')!;
  if (gateway) {
    console.log(
      `gateway adds p50 ${gateway.added_p50_us} µs (goal <= 100), p99 ${gateway.added_p99_us} µs (goal <= 1000); ` +
        `throughput ${gateway.rps_vs_direct}× direct; proxy CPU per request ${gateway.server_cpu_us_per_req} µs` +
        (peer
          ? `; peer proxy ${peer.rps_vs_direct}× direct, CPU per request ${peer.server_cpu_us_per_req} µs`
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
  if (direct.p50Us > 10_000) {
    console.log(
      `warning: even direct calls took p50 ${(direct.p50Us / 1000).toFixed(1)} ms at ${rate} req/s: the machine ` +
        'could not sustain the rate, so the latency columns measure queueing, not the gateway. ' +
        'Rerun on a quiet machine, or lower --rate.',
    );
  }
  const out = path.join(path.dirname(self), 'gateway.json');
  writeFileSync(
    out,
    `${JSON.stringify({ rate, seconds, throughputSeconds, connections, at: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

if (process.argv.includes('--role=server')) await serve();
else await main();
