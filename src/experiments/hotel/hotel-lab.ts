/**
 * The lab the hotel experiments run on: a collector storing into the output folder (so the
 * traces can be browsed and analysed afterwards with `--data <out>`), a platform on a free
 * port whose fault log is `<out>/faults.jsonl`, and DeathStarBench's hotel reservation app
 * applied from `examples/hotel/`, warmed up. The mixed workload (`examples/hotel-mixed.json`)
 * drives it through the invoker, open loop.
 */
import path from 'node:path';
import { analyzeTypes, StoreSource, type TraceSource } from '../../analysis/index.js';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { applyManifests, loadManifests } from '../../deploy/index.js';
import { invoke, readWorkloadFile, type InvokeResult, type Workload } from '../../invoker/index.js';
import { packageRoot } from '../../package-root.js';
import { startPlatform, type RunningPlatform } from '../../platform/index.js';

export interface HotelLab {
  collector: RunningCollector;
  platform: RunningPlatform;
  port: number;
  workload: Workload;
  /** The collector's store, for the analyzer (stays open with the lab). */
  source: TraceSource;
  faultLogFile: string;
  close(): Promise<void>;
}

export const HOTEL_MANIFESTS = path.join(packageRoot, 'examples', 'hotel');
export const HOTEL_WORKLOAD = path.join(packageRoot, 'examples', 'hotel-mixed.json');

/** Starts the lab with the hotel app deployed; `note` hears what happens. */
export async function startHotelLab(outDir: string, note: (line: string) => void): Promise<HotelLab> {
  const collector = await startCollector({ port: 0, otlpPort: null, dataDir: outDir, log: () => undefined });
  const faultLogFile = path.join(outDir, 'faults.jsonl');
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      port: 0,
      zipkinUrl: `${collector.url}/api/v2/spans`,
      stateDir: path.join(outDir, 'platform'),
      faultLogFile,
      log: () => undefined,
    });
  } catch (error) {
    await collector.close();
    throw error;
  }
  const lab: HotelLab = {
    collector,
    platform,
    port: Number(new URL(platform.url).port),
    workload: await readWorkloadFile(HOTEL_WORKLOAD),
    source: new StoreSource(collector.store, `the store in ${outDir}`, false),
    faultLogFile,
    async close() {
      await platform.close();
      await collector.close();
    },
  };
  try {
    note('applying examples/hotel/ (8 services, 3 memcached and 6 mongodb stand-ins)');
    const services = await loadManifests([HOTEL_MANIFESTS], { env: {} });
    await applyManifests(services, platform, () => undefined);
  } catch (error) {
    await lab.close();
    throw error;
  }
  return lab;
}

/** One open-loop run of the mixed workload against the frontend. */
export function runWorkload(
  lab: HotelLab,
  run: { rps: number; durationS: number; seed: number },
  onProgress?: (done: number, total: number) => void,
): Promise<InvokeResult> {
  return invoke({
    endpoints: [{ hostname: 'frontend.default.localhost', eventing: false }],
    rps: run.rps,
    durationS: run.durationS,
    distribution: 'exponential',
    seed: run.seed,
    protocol: 'http',
    port: lab.port,
    timeoutMs: 30_000,
    workload: lab.workload,
    // The invoker's own CLIENT span roots each trace, named by the request (`GET /hotels`),
    // so the analyzer's root key groups traces by endpoint whatever the cache did.
    zipkinUrl: `${lab.collector.url}/api/v2/spans`,
    pacer: 'thread',
    ...(onProgress ? { onProgress } : {}),
  });
}

/**
 * Resolves once the collector holds the traces of `expected` requests that started in
 * `range` (the platform reports spans about every second), or after `timeoutMs`; the count found.
 */
export async function waitForTraces(
  lab: HotelLab,
  range: { startUs: number; endUs: number },
  expected: number,
  timeoutMs = 20_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const types = await analyzeTypes(lab.source, { window: range });
    const found = types.types.reduce((n, t) => n + t.count, 0);
    if (found >= expected || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
}
