/**
 * The end-to-end row of bench/cold-start: a request at a function scaled to zero, through
 * the platform's gateway (route → activator buffer → scale-up → launch → ready → forward),
 * until its response, with the same function, sandbox and cold-start mode as the
 * driver-level row. The platform runs in this process, as `hivelab up` runs it; the
 * client runs either in a process of its own (`child`: as a user's invoker, see
 * cold-start-client.ts) or in this one (`in-process`: the earlier way, kept to compare).
 */
import { pathToFileURL } from 'node:url';
import type * as PlatformApi from '../../src/platform/index.js';
import type { FunctionSpec, RunningPlatform, SandboxDriver } from '../../src/platform/index.js';
import type { HivelabSandboxDriver } from '../../src/platform/sandbox/index.js';
import type { ClientProcess, ClientRequest } from './cold-start-client.js';
import { grpcHelloOnce } from './grpc-hello.js';
import { getOnce } from './http-once.js';

export type ClientPlace = 'child' | 'in-process';

export interface EndToEnd {
  /** One cold request: deploy at zero (outside the timing), request → response, remove. */
  once(spec: FunctionSpec, client: ClientPlace): Promise<number>;
  /** Readies a snapshot for `spec` the way the platform does (first instance, first call). */
  seedSnapshot(spec: FunctionSpec): Promise<boolean>;
  close(): Promise<void>;
}

/** In this process: request → response on a fresh connection, timed here. */
async function timeInProcess(request: ClientRequest): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const status =
    request.kind === 'http'
      ? await getOnce(request.url)
      : await grpcHelloOnce(request.port, request.authority).then(() => 200);
  return { ms: performance.now() - t0, status };
}

export async function startEndToEnd(distDir: string, child: ClientProcess): Promise<EndToEnd> {
  const api = (await import(pathToFileURL(`${distDir}/platform/index.js`).href)) as typeof PlatformApi;
  const drivers = new Map<string, HivelabSandboxDriver>();
  const platform: RunningPlatform = await api.startPlatform({
    port: 0,
    log: () => undefined,
    createDriver: (kind, context): SandboxDriver => {
      // As the platform's default (instance logs included), keeping a handle for snapshots.
      const driver: HivelabSandboxDriver = api.createSandboxDriver(kind, context);
      drivers.set(kind, driver);
      return driver;
    },
  });
  let seq = 0;
  const atZero = (spec: FunctionSpec): FunctionSpec => ({
    ...spec,
    name: `${spec.name}-e2e-${seq++}`,
    autoscaling: { ...spec.autoscaling, initialScale: 0, minScale: 0 },
  });
  return {
    async once(spec, client) {
      const s = atZero(spec);
      // Deploy readies what launches share (a prewarm pool) and starts no instance.
      await platform.deploy(s);
      // gRPC is routed by :authority, as vHive's invoker calls; HTTP/1.1 by path.
      const request: ClientRequest =
        s.protocol === 'h2c'
          ? {
              kind: 'grpc',
              port: Number(new URL(platform.url).port),
              authority: `${s.name}.${s.namespace}.localhost`,
            }
          : { kind: 'http', url: `${platform.url}/fn/${s.name}/?name=bench` };
      const { ms: total, status } =
        client === 'child' ? await child.time(request) : await timeInProcess(request);
      await platform.remove(s.namespace, s.name);
      // As the driver-level loop does: the platform's pool refilled before the next run.
      await drivers.get(s.sandbox)?.prepare(s);
      if (status !== 200) throw new Error(`end-to-end cold request answered ${status}`);
      return total;
    },
    async seedSnapshot(spec) {
      const s = {
        ...spec,
        name: `${spec.name}-e2e-seed`,
        autoscaling: { ...spec.autoscaling, initialScale: 1 },
      };
      await platform.deploy(s);
      if (s.protocol === 'h2c')
        await grpcHelloOnce(Number(new URL(platform.url).port), `${s.name}.${s.namespace}.localhost`);
      else await getOnce(`${platform.url}/fn/${s.name}/?name=seed`);
      const driver = drivers.get(s.sandbox);
      let blob: string | undefined;
      for (let i = 0; i < 600 && blob === undefined && driver; i++) {
        await new Promise((r) => setTimeout(r, 100));
        blob = await driver.snapshotBuilt(s);
      }
      await platform.remove(s.namespace, s.name);
      return blob !== undefined;
    },
    close: () => platform.close(),
  };
}
