/**
 * The gateway's warm gRPC path (h2c), as vHive's invoker drives it: unary
 * `helloworld.Greeter/SayHello` calls, one at a time, on one HTTP/2 session (grpc-go keeps
 * one connection), from a client in a process of its own. Side by side in one run, rounds
 * alternated:
 *   direct  — the client calls the instance's own port (the limit);
 *   gateway — through hivelab's gateway (routing, activator lease, h2c proxy, headers);
 *   peer    — through a minimal node:http2 proxy in the gateway's process (core `stream`
 *             API, one pooled session per instance, bodies piped, trailers passed on):
 *             what node:http2 itself costs per proxied call, the floor for any gateway
 *             built on it;
 *   http1   — hivelab's gateway over HTTP/1.1 to the same helloworld on HTTP/1.1, for scale.
 * Reported per target: the client's latency p50/p99 and the CPU per call of the gateway's
 * process (where the gateway and the peer live) and of the instance. CPU per call is the
 * figure to trust on a shared machine; latency moves with the neighbours.
 *
 *   npm run build && npm run bench -- gateway-grpc [--calls 3000] [--rounds 3]
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as PlatformApi from '../src/platform/index.js';
import type * as RuntimeApi from '../src/platform/runtime/index.js';
import type { FunctionSpec, Sandbox, SandboxDriver } from '../src/platform/index.js';
import { defaultAutoscaling } from '../src/platform/function-spec/index.js';
import { benchFlags, latencyMs } from './lib/bench-kit.js';
import { runCallClient, type CallTarget } from './lib/call-client.js';
import { startH2Proxy } from './lib/h2-proxy-peer.js';

if (!runCallClient()) await main();

async function main(): Promise<void> {
  const args = benchFlags({
    calls: { type: 'number', default: 3000, integer: true },
    rounds: { type: 'number', default: 3, integer: true },
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dist = (...parts: string[]): string => path.join(root, 'dist', ...parts);
  const api = (await import(pathToFileURL(dist('platform', 'index.js')).href)) as typeof PlatformApi;
  const runtime = (await import(
    pathToFileURL(dist('platform', 'runtime', 'index.js')).href
  )) as typeof RuntimeApi;

  // The instances the platform launches, for their ports (direct, peer) and their CPU (`usage()`).
  const launched = new Map<string, Sandbox>();
  const platform = await api.startPlatform({
    port: 0,
    log: () => undefined,
    createDriver: (kind, context) => withLaunchesSeen(api.createSandboxDriver(kind, context), launched),
  });
  const handlerModule = dist('functions', 'helloworld.js');
  const spec = (name: string, protocol: FunctionSpec['protocol']): FunctionSpec => ({
    name,
    namespace: 'default',
    image: `bench:${name}`,
    command: [process.execPath, runtime.runtimeRunnerPath(), handlerModule],
    env: {},
    workingDir: root,
    protocol,
    handlerModule,
    containerConcurrency: 0,
    timeoutMs: 60_000,
    sandbox: 'process',
    coldStart: 'boot',
    autoscaling: { ...defaultAutoscaling(1), minScale: 1, maxScale: 1 },
  });
  await platform.deploy(spec('bench-grpc', 'h2c'));
  await platform.deploy(spec('bench-http', 'http1'));
  const instance = (name: string): Sandbox => {
    const found = [...launched.entries()].find(([id]) => id.startsWith(`${name}-`))?.[1];
    if (!found) throw new Error(`no instance of ${name} was seen`);
    return found;
  };
  const grpcInstance = instance('bench-grpc');
  const httpInstance = instance('bench-http');
  const peer = await startH2Proxy(grpcInstance.port);
  const gatewayPort = Number(new URL(platform.url).port);

  const targets: Array<{ name: string; target: CallTarget; instance: Sandbox }> = [
    { name: 'direct', target: { kind: 'grpc', port: grpcInstance.port }, instance: grpcInstance },
    {
      name: 'gateway',
      target: { kind: 'grpc', port: gatewayPort, authority: 'bench-grpc.default.localhost' },
      instance: grpcInstance,
    },
    { name: 'peer', target: { kind: 'grpc', port: peer.port }, instance: grpcInstance },
    {
      name: 'http1',
      target: { kind: 'http', port: gatewayPort, authority: 'bench-http.default.localhost' },
      instance: httpInstance,
    },
  ];
  const script = fileURLToPath(import.meta.url);
  // Warm every path first (the JIT, the pooled sessions), outside the figures.
  for (const t of targets) await callsFrom(script, t.target, 1000);
  const seen = new Map<string, { latencies: number[]; hostCpuUs: number; instanceCpuUs: number }>();
  for (let round = 0; round < args.rounds; round++) {
    for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
      const host0 = process.cpuUsage();
      const inst0 = t.instance.usage().cpuUs;
      const latencies = await callsFrom(script, t.target, args.calls);
      const host = process.cpuUsage(host0);
      const entry = seen.get(t.name) ?? { latencies: [], hostCpuUs: 0, instanceCpuUs: 0 };
      entry.latencies.push(...latencies);
      entry.hostCpuUs += host.user + host.system;
      entry.instanceCpuUs += t.instance.usage().cpuUs - inst0;
      seen.set(t.name, entry);
    }
  }
  await peer.close();
  await platform.close();

  const calls = args.calls * args.rounds;
  const rows = targets.map(({ name }) => {
    const { latencies, hostCpuUs, instanceCpuUs } = seen.get(name)!;
    const l = latencyMs(latencies);
    return {
      target: name,
      p50Ms: l.p50Ms,
      p99Ms: l.p99Ms,
      hostCpuUsPerCall: hostCpuUs / calls,
      instanceCpuUsPerCall: instanceCpuUs / calls,
    };
  });
  const row = (name: string) => rows.find((r) => r.target === name)!;
  const gw = row('gateway');
  const pe = row('peer');
  const di = row('direct');
  const ratios = {
    gatewayCpuOverPeer: gw.hostCpuUsPerCall / pe.hostCpuUsPerCall,
    gatewayAddedP50OverPeerAdded: (gw.p50Ms - di.p50Ms) / (pe.p50Ms - di.p50Ms),
    grpcGatewayCpuOverHttp1: gw.hostCpuUsPerCall / row('http1').hostCpuUsPerCall,
  };
  console.log(
    `warm gRPC through the gateway, ${calls} calls per target (${process.version}, shared machine)`,
  );
  console.table(rows.map((r) => roundAll(r)));
  console.table(roundAll(ratios));
  const outDir = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(path.join(outDir, 'gateway-grpc.json'), JSON.stringify({ calls, rows, ratios }, null, 2));
  console.log(`wrote ${path.join(outDir, 'gateway-grpc.json')}`);
}

/** `calls` calls from a fresh client process; their latencies in ms. */
function callsFrom(script: string, target: CallTarget, calls: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { env: { ...process.env, HIVELAB_BENCH_CALLS: '1' } });
    child.once('message', (answer: { latencies?: number[]; error?: string }) => {
      if (answer.latencies) resolve(answer.latencies);
      else reject(new Error(answer.error ?? 'the call client failed'));
      child.disconnect();
    });
    child.once('exit', (code) => reject(new Error(`the call client exited (${code})`)));
    child.send({ target, calls });
  });
}

/** The driver, with each sandbox it launches recorded under its instance id. */
function withLaunchesSeen(driver: SandboxDriver, launched: Map<string, Sandbox>): SandboxDriver {
  return new Proxy(driver, {
    get(target, key) {
      if (key === 'launch')
        return (spec: FunctionSpec, instanceId: string) => {
          const sandbox = target.launch(spec, instanceId);
          launched.set(instanceId, sandbox);
          return sandbox;
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function roundAll<T extends object>(row: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(3)) : v]),
  );
}
