/**
 * Cold start per mode: `npm run bench -- cold-start [--runs N] [--functions hello,heavy,objects]`.
 *
 * One run = launch an instance → its first HTTP response (what a request that found the
 * function at zero waits for, minus the gateway), measured `--runs` times per case:
 * - ours: process sandbox with cold start boot, snapshot (restored from a V8 startup
 *   snapshot built after the first invocation), prewarm (a pooled generic runtime
 *   specialised on demand; the pool is refilled between runs, outside the timing), and the
 *   worker sandbox booted and prewarmed;
 * - bare limit: `node -e` with a tiny HTTP server on $PORT, polled until it answers, in the
 *   environment an instance gets (the host allow-list, see sandbox/launch/instance-env.ts); one
 *   bare start runs before each of ours, and 'x bare' divides by those interleaved runs, so
 *   the ratio holds on a machine shared with other benchmarks; a row with the host's whole
 *   environment shows what inheriting it would cost (NODE_EXTRA_CA_CERTS: ~55 ms here);
 * - ours end to end ('… e2e' rows): the same function, sandbox and mode deployed on a
 *   platform in this process at zero, one request through its gateway → response (route,
 *   activator buffer, scale-up, launch, ready, forward; see bench/lib/cold-start-e2e.ts),
 *   run right after each driver-level launch; 'x driver' divides by those interleaved runs
 *   (goal, issue 12: <= 1.2 for boot, snapshot and prewarm). The client of the '… e2e' row
 *   runs in a process of its own (bench/lib/cold-start-client.ts), as a user's invoker is a
 *   process apart from `hivelab up` and as the driver-level row's client is a process apart
 *   from the instance; until 2026-12-02 it ran in this process, where its CPU and the
 *   gateway's serialised on one event loop. That way is kept as the '… e2e in-process'
 *   row, alternated with the other in the same runs, so the two stay comparable. Both
 *   dial a fresh connection per request, as the driver-level row and vHive's invoker do;
 * - the hop's limits (bench/lib/hop-limits.ts), per protocol: a fresh-connection request to a
 *   warm server after 100 ms of idle, direct, through a bare TCP relay process and through
 *   the peer (the simplest node:http or node:http2 proxy, a process of its own), alternated;
 *   on an e2e row 'floor x driver' = (driver-level p50 + what the bare relay added) /
 *   driver-level p50, the ratio a gateway that cost nothing but its process hop would
 *   reach, and 'peer x driver' the same with what the peer proxy added: what a gateway that
 *   only parses and forwards would reach;
 * - 'cpu p50 ms': on-CPU time of the instance process (all threads) up to its first answer
 *   (process boot and snapshot only: a prewarmed runtime's CPU began before the launch);
 * - peers: published figures (not measured here): Firecracker microVM boot 125 ms,
 *   vHive snapshot cold start of helloworld 232 ms, vHive with REAP 60 ms.
 * Functions: `hello` = the built-in helloworld (dist/functions/helloworld.js) over HTTP/1.1;
 * `hello-grpc` = the same over gRPC (h2c, SayHello, as vHive's invoker calls it);
 * `heavy` = bench/fixtures/heavy-init-function.mjs (init computes a 50 MB typed table);
 * `objects` = bench/fixtures/object-table-function.mjs (init builds 400 000 small objects,
 * ~50 MB of heap: the worst case for a snapshot, which must deserialise every object).
 * Goals (issue 3): boot p50 <= 50 ms, prewarm p50 <= 10 ms, heavy snapshot >= 3x faster than boot.
 * Short run: `--runs 3 --functions hello,heavy`; full run: `--runs 20` (default, all three).
 * `--modes prewarm` (or `boot,snapshot`): only those cold-start modes' rows (default all).
 * `--breakdown N`: then N traced cold requests per HTTP/gRPC helloworld case of the process
 *   sandbox, with where their time goes step by step (bench/lib/cold-start-breakdown.ts).
 * Needs the build (`npx tsc -p tsconfig.json`): instances run dist/ JavaScript.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as SandboxApi from '../src/platform/sandbox/index.js';
import type * as RuntimeApi from '../src/platform/runtime/index.js';
// eslint-disable-next-line hivelab/index-only-imports -- the type of the built module this bench loads from dist/ to time it
import type * as InstanceEnvApi from '../src/platform/sandbox/launch/instance-env.js';
import type { FunctionSpec } from '../src/platform/function-spec/index.js';
import { defaultAutoscaling } from '../src/platform/function-spec/index.js';
import { runClientChild, startClientProcess } from './lib/cold-start-client.js';
import { coldStartBreakdown, type BreakdownRow } from './lib/cold-start-breakdown.js';
import { startEndToEnd } from './lib/cold-start-e2e.js';
import type { ClientPlace } from './lib/cold-start-e2e.js';
import { benchFlags, latencyMs } from './lib/bench-kit.js';
import { grpcHelloOnce } from './lib/grpc-hello.js';
import { measureHopLimits, type HopProtocol, type HopSamples } from './lib/hop-limits.js';
import { runPeerChild } from './lib/peer-process.js';

/** The package root: this file runs bundled from bench/results/, so walk up to package.json. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'hivelab')
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the hivelab package root');
    dir = parent;
  }
}

const FUNCTIONS = ['hello', 'hello-grpc', 'heavy', 'objects'];
const MODES = ['boot', 'snapshot', 'prewarm'];

/** First response from 127.0.0.1:port, retrying until it answers (for the bare server). */
function firstResponse(port: number, retry: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const req = http.get({ host: '127.0.0.1', port, path: '/?name=bench', agent: false }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      });
      req.once('error', (error) => (retry ? setTimeout(attempt, 1) : reject(error)));
    };
    attempt();
  });
}

interface CaseResult {
  fn: string;
  mode: string;
  kind: 'ours' | 'bare' | 'peer';
  p50Ms: number;
  p99Ms: number;
  /** p50 of the sandbox's own readyMs (launch → instance ready), for ours. */
  readyP50Ms?: number;
  /** p50 of the bare starts interleaved with this case's runs (same load from neighbours). */
  bareP50Ms?: number;
  /** p50 on-CPU time of the instance process, launch → first response answered (process sandbox). */
  cpuP50Ms?: number;
  /** p50 of the function's init() as the runner measured it (0 when restored from a snapshot). */
  initP50Ms?: number;
  /** End-to-end rows: p50 of the driver-level runs interleaved with them (same case). */
  driverP50Ms?: number;
  /** End-to-end rows: (driverP50Ms + the bare relay hop's added p50) / driverP50Ms. */
  floorXDriver?: number;
  /** End-to-end rows: (driverP50Ms + the peer proxy's added p50) / driverP50Ms. */
  peerXDriver?: number;
  runs: number;
  note?: string;
}

function summarise(
  fn: string,
  mode: string,
  kind: CaseResult['kind'],
  totals: number[],
  ready: number[] = [],
  init: number[] = [],
): CaseResult {
  const { p50Ms, p99Ms } = latencyMs(totals);
  return {
    fn,
    mode,
    kind,
    p50Ms,
    p99Ms,
    ...(ready.length > 0 ? { readyP50Ms: latencyMs(ready).p50Ms } : {}),
    ...(init.length > 0 ? { initP50Ms: latencyMs(init).p50Ms } : {}),
    runs: totals.length,
  };
}

const BARE_SCRIPT = `require('http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,'127.0.0.1')`;

/** One bare start: `node -e` http server on a fresh port → its first response, in ms. */
async function bareOnce(pickPort: () => Promise<number>, env: NodeJS.ProcessEnv): Promise<number> {
  const port = await pickPort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', BARE_SCRIPT], {
    env: { ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  await firstResponse(port, true);
  const total = performance.now() - t0;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return total;
}

/**
 * On-CPU time of a process, all its threads (`/proc/<pid>/task/<tid>/schedstat`), in ms:
 * less sensitive than wall time to neighbours on a shared 2-core machine.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/** The hop limits' rows of one protocol: direct, through the bare relay, through the peer. */
function hopRows(protocol: HopProtocol, hop: HopSamples): CaseResult[] {
  const what = protocol === 'grpc' ? 'fresh-session SayHello' : 'fresh-connection GET';
  const direct = summarise('any', `bare ${what} after 100 ms idle, direct`, 'bare', hop.directMs);
  const relayed = summarise('any', `the same through a bare TCP relay process`, 'bare', hop.relayedMs);
  const peer = protocol === 'grpc' ? 'a minimal node:http2 proxy' : 'a minimal node:http proxy';
  const proxied = summarise('any', `the same through ${peer} process`, 'peer', hop.peerMs);
  const over = (r: CaseResult): string => `+${(r.p50Ms - direct.p50Ms).toFixed(2)} ms over direct`;
  return [
    { ...direct, note: `a warm ${protocol === 'grpc' ? 'h2c' : 'node'} server in its own process` },
    { ...relayed, note: `the hop's floor: ${over(relayed)}` },
    { ...proxied, note: `the peer: ${over(proxied)}` },
  ];
}

async function main(): Promise<void> {
  const args = benchFlags({
    runs: { type: 'number', default: 20, integer: true },
    functions: { type: 'list', default: FUNCTIONS, choices: FUNCTIONS },
    modes: { type: 'list', default: MODES, choices: MODES },
    breakdown: { type: 'number', default: 0, integer: true },
  });
  const root = findRoot();
  const dist = (...p: string[]): string => path.join(root, 'dist', ...p);
  const sandboxApi = (await import(
    pathToFileURL(dist('platform', 'sandbox', 'index.js')).href
  )) as typeof SandboxApi;
  const runtimeApi = (await import(
    pathToFileURL(dist('platform', 'runtime', 'index.js')).href
  )) as typeof RuntimeApi;
  const { pickFreePort } = (await import(
    pathToFileURL(dist('platform', 'sandbox', 'launch', 'free-port.js')).href
  )) as {
    pickFreePort: () => Promise<number>;
  };
  const { genericRuntimeEnv } = (await import(
    pathToFileURL(dist('platform', 'sandbox', 'launch', 'instance-env.js')).href
  )) as typeof InstanceEnvApi;
  // The bare limit runs in the environment an instance gets (the host allow-list), so the
  // comparison is like for like; the host's own environment gets a row of its own.
  const bareEnv = genericRuntimeEnv(process.env);
  const modules: Record<string, string> = {
    hello: dist('functions', 'helloworld.js'),
    'hello-grpc': dist('functions', 'helloworld.js'),
    heavy: path.join(root, 'bench', 'fixtures', 'heavy-init-function.mjs'),
    objects: path.join(root, 'bench', 'fixtures', 'object-table-function.mjs'),
  };
  const spec = (
    fn: string,
    sandbox: 'process' | 'worker',
    coldStart: FunctionSpec['coldStart'],
  ): FunctionSpec => {
    const handlerModule = modules[fn]!;
    return {
      name: `bench-${fn}`,
      namespace: 'default',
      image: `bench:${fn}`,
      command: [process.execPath, runtimeApi.runtimeRunnerPath(), handlerModule],
      env: {},
      workingDir: root,
      // hello-grpc: the same helloworld served over h2c (vHive's invoker calls SayHello).
      protocol: fn === 'hello-grpc' ? 'h2c' : 'http1',
      handlerModule,
      containerConcurrency: 0,
      timeoutMs: 60_000,
      sandbox,
      coldStart,
      autoscaling: defaultAutoscaling(0),
    };
  };

  const results: CaseResult[] = [];
  const client = await startClientProcess(fileURLToPath(import.meta.url));
  const e2e = await startEndToEnd(dist(), client);
  const loadAtStart = os.loadavg();
  console.log(
    `cold start, ${args.runs} runs per case (machine: ${process.version}, shared; load average ${loadAtStart.map((l) => l.toFixed(2)).join(', ')})`,
  );
  await firstResponse(0, false).catch(() => undefined); // loads the http client before timing
  await grpcHelloOnce(1).catch(() => undefined); // and the http2 one
  // The first request of a launch, over the function's protocol.
  const answer = (s: FunctionSpec, port: number): Promise<void> =>
    s.protocol === 'h2c' ? grpcHelloOnce(port) : firstResponse(port, false);
  // Bare starts are interleaved with ours (one before each of our launches), so each case
  // is compared with the bare limit measured under the same load from neighbours.
  const allBare: number[] = [];
  const bareHostEnv: number[] = [];
  for (let i = 0; i < args.runs; i++) {
    allBare.push(await bareOnce(pickFreePort, bareEnv));
    bareHostEnv.push(await bareOnce(pickFreePort, process.env));
  }

  // The limits of the e2e row's gateway hop, at the cold-start runs' pace (hop-limits.ts).
  const protocols: HopProtocol[] = args.functions.includes('hello-grpc') ? ['http', 'grpc'] : ['http'];
  const hops = new Map<HopProtocol, HopSamples>();
  for (const protocol of protocols)
    hops.set(
      protocol,
      await measureHopLimits(protocol, Math.max(args.runs, 20), fileURLToPath(import.meta.url)),
    );
  const hopAdded = (protocol: HopProtocol): { relayMs: number; peerMs: number } => {
    const hop = hops.get(protocol)!;
    const direct = latencyMs(hop.directMs).p50Ms;
    return { relayMs: latencyMs(hop.relayedMs).p50Ms - direct, peerMs: latencyMs(hop.peerMs).p50Ms - direct };
  };

  const allCases: Array<[sandbox: 'process' | 'worker', mode: FunctionSpec['coldStart']]> = [
    ['process', 'boot'],
    ['process', 'snapshot'],
    ['process', 'prewarm'],
    ['worker', 'boot'],
    ['worker', 'prewarm'],
  ];
  const cases = allCases.filter(([, mode]) => args.modes.includes(mode));
  for (const fn of args.functions) {
    // gRPC: the process sandbox's modes (the worker rows would repeat the HTTP ones).
    for (const [kind, mode] of fn === 'hello-grpc' ? cases.filter(([k]) => k === 'process') : cases) {
      const driver = sandboxApi.createSandboxDriver(kind, { prewarmPoolSize: 1 });
      const s = spec(fn, kind, mode);
      let note: string | undefined;
      if (mode === 'snapshot') {
        // The first instance boots; its first invocation triggers the snapshot build.
        const first = driver.launch(s, `${fn}-snapshot-seed`);
        await first.ready;
        await answer(s, first.port);
        let blob: string | undefined;
        for (let i = 0; i < 600 && blob === undefined; i++) {
          await new Promise((r) => setTimeout(r, 100));
          blob = await driver.snapshotBuilt(s);
        }
        await first.stop(2000);
        if (!blob) note = 'snapshot build failed: these runs booted';
      }
      const totals: number[] = [];
      const ready: number[] = [];
      const init: number[] = [];
      const cpu: number[] = [];
      const bareTotals: number[] = [];
      const e2eTotals: Record<ClientPlace, number[]> = { child: [], 'in-process': [] };
      let restored = 0;
      let e2eNote: string | undefined;
      // The platform's own driver builds its own snapshot, as a deployed function gets one.
      if (mode === 'snapshot' && !(await e2e.seedSnapshot(s)))
        e2eNote = 'snapshot build failed: these runs booted';
      for (let i = 0; i < args.runs; i++) {
        await driver.prepare(s);
        bareTotals.push(await bareOnce(pickFreePort, bareEnv));
        const t0 = performance.now();
        const sandbox = driver.launch(s, `${fn}-${kind}-${mode}-${i}`);
        const phases = await sandbox.ready;
        await answer(s, sandbox.port);
        totals.push(performance.now() - t0);
        ready.push(phases.readyMs);
        if (phases.functionInitMs !== undefined && phases.codeLoadMs !== undefined)
          init.push(phases.functionInitMs - phases.codeLoadMs);
        // A pooled runtime's CPU started before the launch: only boot and snapshot count from zero.
        const cpuMs = mode === 'prewarm' ? undefined : processCpuMs(sandbox.pid);
        if (cpuMs !== undefined) cpu.push(cpuMs);
        if (sandbox.restoredFromSnapshot) restored++;
        await sandbox.stop(2000);
        // The pool refills a little after the first answer (prewarm-pool.ts): let it finish
        // here, so that runtime's boot does not land in the end-to-end run that follows.
        await driver.prepare(s);
        // The same case end to end, right after (same load from neighbours), the client in
        // its own process and in this one, in alternating order.
        const order: ClientPlace[] = i % 2 === 0 ? ['child', 'in-process'] : ['in-process', 'child'];
        for (const place of order) e2eTotals[place].push(await e2e.once(s, place));
      }
      if (mode === 'snapshot' && restored !== args.runs) note = `only ${restored}/${args.runs} runs restored`;
      await driver.close();
      allBare.push(...bareTotals);
      results.push({
        ...summarise(fn, `${kind} ${mode}`, 'ours', totals, ready, init),
        bareP50Ms: latencyMs(bareTotals).p50Ms,
        ...(cpu.length > 0 ? { cpuP50Ms: latencyMs(cpu).p50Ms } : {}),
        ...(note ? { note } : {}),
      });
      const driverP50Ms = results.at(-1)!.p50Ms;
      const bareP50Ms = results.at(-1)!.bareP50Ms!;
      const added = hopAdded(s.protocol === 'h2c' ? 'grpc' : 'http');
      results.push(
        {
          ...summarise(fn, `${kind} ${mode} e2e`, 'ours', e2eTotals.child),
          bareP50Ms,
          driverP50Ms,
          floorXDriver: (driverP50Ms + added.relayMs) / driverP50Ms,
          peerXDriver: (driverP50Ms + added.peerMs) / driverP50Ms,
          note: e2eNote ?? 'request at zero through the gateway → response, client in its own process',
        },
        {
          ...summarise(fn, `${kind} ${mode} e2e in-process`, 'ours', e2eTotals['in-process']),
          bareP50Ms,
          driverP50Ms,
          note: e2eNote ?? "the same, client in the gateway's process (the earlier way)",
        },
      );
    }
  }
  await e2e.close();
  await client.close();
  const breakdowns: Record<string, BreakdownRow[]> = {};
  if (args.breakdown > 0) {
    // Traced runs of the same cold request, to see which step takes what (see the module).
    for (const fn of args.functions.filter((f) => f.startsWith('hello'))) {
      for (const [kind, mode] of cases.filter(([k]) => k === 'process')) {
        const rows = await coldStartBreakdown(dist(), spec(fn, kind, mode), args.breakdown);
        breakdowns[`${fn} ${kind} ${mode}`] = rows;
        console.log(
          `\nwhere the e2e cold start goes, ${fn} ${kind} ${mode} (traced, ${args.breakdown} runs, p50):`,
        );
        console.table(
          rows.map((r) => ({
            step: r.step,
            'at ms': Number.isNaN(r.atMs) ? '-' : Number(r.atMs.toFixed(2)),
            'step ms': Number(r.stepMs.toFixed(2)),
          })),
        );
      }
    }
  }
  const peers: Array<[string, number]> = [
    ['Firecracker microVM boot (published)', 125],
    ['vHive snapshot cold start, helloworld (published)', 232],
    ['vHive + REAP, helloworld (published)', 60],
  ];
  for (const [mode, ms] of peers)
    results.push({ fn: 'helloworld', mode, kind: 'peer', p50Ms: ms, p99Ms: Number.NaN, runs: 0 });

  results.unshift(summarise('any', 'bare node -e http server (all interleaved runs)', 'bare', allBare));
  results.splice(1, 0, {
    ...summarise('any', "bare, the host's whole env", 'bare', bareHostEnv),
    note:
      process.env.NODE_EXTRA_CA_CERTS === undefined
        ? 'what inheriting the host env would cost'
        : 'incl. NODE_EXTRA_CA_CERTS: instances no longer inherit it',
  });
  results.splice(2, 0, ...protocols.flatMap((protocol) => hopRows(protocol, hops.get(protocol)!)));
  const bare = results[0]!.p50Ms;
  const find = (fn: string, mode: string): CaseResult | undefined =>
    results.find((r) => r.fn === fn && r.mode === mode);
  const rows = results.map((r) => ({
    function: r.fn,
    case: r.mode,
    kind: r.kind,
    'p50 ms': r.p50Ms.toFixed(1),
    'p99 ms': Number.isNaN(r.p99Ms) ? '' : r.p99Ms.toFixed(1),
    'ready p50 ms': r.readyP50Ms === undefined ? '' : r.readyP50Ms.toFixed(1),
    'init p50 ms': r.initP50Ms === undefined ? '' : r.initP50Ms.toFixed(1),
    'cpu p50 ms': r.cpuP50Ms === undefined ? '' : r.cpuP50Ms.toFixed(1),
    // Ours against the bare runs interleaved with it; peers against all bare runs.
    'x bare': (r.p50Ms / (r.bareP50Ms ?? bare)).toFixed(2),
    'x driver': r.driverP50Ms === undefined ? '' : (r.p50Ms / r.driverP50Ms).toFixed(2),
    'floor x driver': r.floorXDriver === undefined ? '' : r.floorXDriver.toFixed(2),
    'peer x driver': r.peerXDriver === undefined ? '' : r.peerXDriver.toFixed(2),
    note: r.note ?? '',
  }));
  console.table(rows);
  const goals: Record<string, { value: number; goal: string; met: boolean }> = {};
  const helloBoot = find('hello', 'process boot');
  const helloPrewarm = find('hello', 'process prewarm');
  const heavyBoot = find('heavy', 'process boot');
  const heavySnap = find('heavy', 'process snapshot');
  if (helloBoot) goals.bootP50Ms = { value: helloBoot.p50Ms, goal: '<= 50', met: helloBoot.p50Ms <= 50 };
  if (helloBoot?.bareP50Ms !== undefined) {
    // The 50 ms assumed a 31 ms bare start: as a ratio to bare, 50 / 31.
    const ratio = helloBoot.p50Ms / helloBoot.bareP50Ms;
    goals.bootXBare = { value: ratio, goal: '<= 1.61', met: ratio <= 50 / 31 };
  }
  if (helloPrewarm)
    goals.prewarmP50Ms = { value: helloPrewarm.p50Ms, goal: '<= 10', met: helloPrewarm.p50Ms <= 10 };
  if (heavyBoot && heavySnap) {
    const speedup = heavyBoot.p50Ms / heavySnap.p50Ms;
    goals.heavySnapshotSpeedup = { value: speedup, goal: '>= 3', met: speedup >= 3 };
  }
  // Issue 12: the end-to-end cold start within 1.2x of the driver-level one, per mode.
  for (const r of results) {
    // The goal holds for what a user sees: the client a process apart from the gateway.
    if (r.driverP50Ms === undefined || !r.fn.startsWith('hello') || !r.mode.endsWith(' e2e')) continue;
    const ratio = r.p50Ms / r.driverP50Ms;
    goals[`e2eXDriver ${r.fn} ${r.mode.replace(/ e2e$/, '')}`] = {
      value: ratio,
      goal: '<= 1.2',
      met: ratio <= 1.2,
    };
  }
  console.table(
    Object.entries(goals).map(([name, g]) => ({
      goal: name,
      value: g.value.toFixed(2),
      target: g.goal,
      met: g.met,
    })),
  );
  const out = path.join(root, 'bench', 'results', 'cold-start.json');
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  writeFileSync(
    out,
    JSON.stringify(
      {
        runs: args.runs,
        node: process.version,
        loadavg: { start: loadAtStart, end: os.loadavg() },
        hopLimits: Object.fromEntries(protocols.map((protocol) => [protocol, hopAdded(protocol)])),
        results,
        goals,
        breakdowns,
      },
      null,
      2,
    ),
  );
  console.log(`wrote ${out}`);
}

// Run again as the end-to-end row's client process or as the hop's peer, this bundle does only that.
if (!runClientChild() && !runPeerChild())
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
