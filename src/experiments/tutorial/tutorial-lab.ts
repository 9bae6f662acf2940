/**
 * The lab a tutorial runs on: a collector storing into the output folder (so the traces can
 * be browsed afterwards with `hivelab collector --data <out>`) and a platform whose deploys
 * can switch every function to snapshot cold starts, as vHive's `-snapshots` does.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import type { DeployTarget } from '../../deploy/index.js';
import { startPlatform, type FunctionStatus, type RunningPlatform } from '../../platform/index.js';
import type { FunctionSpec } from '../../platform/index.js';
import type { Span } from '../../spans/index.js';

export interface TutorialLab {
  collector: RunningCollector;
  platform: RunningPlatform;
  /** Where the platform keeps snapshots. */
  stateDir: string;
  port: number;
  close(): Promise<void>;
}

export async function startCollectorIn(outDir: string): Promise<RunningCollector> {
  return startCollector({ port: 0, otlpPort: null, dataDir: outDir, log: () => undefined });
}

/** Starts a platform sending spans to `collector`, its state in `<outDir>/<stateName>`. */
export async function startLabPlatform(
  collector: RunningCollector,
  outDir: string,
  stateName: string,
): Promise<TutorialLab> {
  const stateDir = path.join(outDir, stateName);
  const platform = await startPlatform({
    port: 0,
    zipkinUrl: `${collector.url}/api/v2/spans`,
    stateDir,
    log: () => undefined,
  });
  return {
    collector,
    platform,
    stateDir,
    port: Number(new URL(platform.url).port),
    close: () => platform.close(),
  };
}

/** Pure: `spec` with snapshot cold starts when it is a JavaScript function (others cannot snapshot). */
export function withSnapshots(spec: FunctionSpec): FunctionSpec {
  return spec.handlerModule !== undefined && spec.sandbox === 'process'
    ? { ...spec, coldStart: 'snapshot' }
    : spec;
}

/** A deploy target that edits each spec first. */
export function editingTarget(
  platform: RunningPlatform,
  edit: (spec: FunctionSpec) => FunctionSpec,
): DeployTarget {
  return { deploy: (spec): Promise<FunctionStatus> => platform.deploy(edit(spec)) };
}

/** Resolves once `count` snapshot blobs exist under `stateDir`, or false after `timeoutMs`. */
export async function waitForSnapshots(stateDir: string, count: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = await readdir(stateDir, { recursive: true }).catch(() => [] as string[]);
    if (files.filter((f) => f.endsWith('.blob')).length >= count) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** The spans of `traceId` once `ready(spans)` holds (the platform reports about every second), or what arrived by the deadline. */
export async function fetchTrace(
  collectorUrl: string,
  traceId: string,
  ready: (spans: Span[]) => boolean,
  timeoutMs = 15_000,
): Promise<Span[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: Span[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${collectorUrl}/api/v2/trace/${traceId}`);
    if (response.ok) spans = (await response.json()) as Span[];
    else await response.body?.cancel();
    if (ready(spans)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return spans;
}
