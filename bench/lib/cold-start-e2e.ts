/**
 * The end-to-end row of bench/cold-start: a request at a function scaled to zero, through
 * the platform's gateway (route → activator buffer → scale-up → launch → ready → forward),
 * until its response, with the same function, sandbox and cold-start mode as the
 * driver-level row. The platform runs in this process, as `hivelab up` runs it.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type * as PlatformApi from '../../src/platform/index.js';
import type { FunctionSpec, RunningPlatform, SandboxDriver } from '../../src/platform/index.js';
import type { HivelabSandboxDriver } from '../../src/platform/sandbox/index.js';
import { grpcHelloOnce } from './grpc-hello.js';

export interface EndToEnd {
  /** One cold request: deploy at zero (outside the timing), request → response, remove. */
  once(spec: FunctionSpec): Promise<number>;
  /** Readies a snapshot for `spec` the way the platform does (first instance, first call). */
  seedSnapshot(spec: FunctionSpec): Promise<boolean>;
  close(): Promise<void>;
}

/** GET on a fresh connection (as the driver-level row's first request), resolved at its end. */
export function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
}

export async function startEndToEnd(distDir: string): Promise<EndToEnd> {
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
    async once(spec) {
      const s = atZero(spec);
      // Deploy readies what launches share (a prewarm pool) and starts no instance.
      await platform.deploy(s);
      const t0 = performance.now();
      // gRPC is routed by :authority, as vHive's invoker calls; HTTP/1.1 by path.
      const status =
        s.protocol === 'h2c'
          ? await grpcHelloOnce(
              Number(new URL(platform.url).port),
              `${s.name}.${s.namespace}.localhost`,
            ).then(() => 200)
          : await getOnce(`${platform.url}/fn/${s.name}/?name=bench`);
      const total = performance.now() - t0;
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
