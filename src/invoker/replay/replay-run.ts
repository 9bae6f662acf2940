/**
 * The thin I/O shell of a replay: read the trace folder, deploy one `trace-func` per
 * traced function through the platform's admin API, fire the planned invocations
 * (HTTP `POST /` `{"durationMs", "memoryMb"}`) at their times, and collect the records.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, errorMessage } from '../../errors.js';
import { createHttpClient } from '../clients/http-client.js';
import type { RequestRecord } from '../request-record.js';
import { runSchedule } from '../runner.js';
import { parseDurationsCsv, parseInvocationsCsv, parseMemoryCsv } from './azure-trace.js';
import type { AzureTrace, PlannedFunction, ReplayPlan } from './replay-plan.js';

/** Reads `invocations.csv`, `durations.csv` and `memory.csv` from `dir`. */
export async function readAzureTrace(dir: string): Promise<AzureTrace> {
  const read = async (name: string): Promise<[string, string]> => {
    const file = path.join(dir, name);
    try {
      return [await readFile(file, 'utf8'), file];
    } catch (error) {
      throw new UserError(
        `error while reading the trace file ${file}: ${errorMessage(error)}`,
        `--trace must name a folder with invocations.csv, durations.csv and memory.csv`,
      );
    }
  };
  const [inv, dur, mem] = await Promise.all([
    read('invocations.csv'),
    read('durations.csv'),
    read('memory.csv'),
  ]);
  return {
    invocations: parseInvocationsCsv(...inv),
    durations: parseDurationsCsv(...dur),
    memory: parseMemoryCsv(...mem),
  };
}

/** Deploys one function and says where to reach it (its URL's hostname). */
export type DeployTraceFunction = (fn: PlannedFunction) => Promise<{ url: string }>;

export interface ReplayRunOptions {
  plan: ReplayPlan;
  /** The gateway every invocation is sent to, e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  deploy: DeployTraceFunction;
  /** Per invocation. */
  timeoutMs: number;
  /** Replay faster (>1) or slower; 1 = real time. @default 1 */
  speedup?: number;
  /** Parallel deployments. @default 5 */
  deployConcurrency?: number;
  onProgress?(done: number, total: number): void;
}

export interface ReplayRunResult {
  records: RequestRecord[];
  startEpochMs: number;
  /** Deployed hostname per function. */
  hostnames: string[];
}

/**
 * Replays a plan (from `planReplay` over an Azure Functions trace): deploys each planned
 * function through `deploy`, then sends every invocation at its minute's arrival times.
 */
export async function runReplay(options: ReplayRunOptions): Promise<ReplayRunResult> {
  const { plan } = options;
  const gateway = new URL(options.gatewayUrl);
  const hostnames = await deployAll(plan.functions, options.deploy, options.deployConcurrency ?? 5);
  const speedup = options.speedup ?? 1;
  const schedule = Float64Array.from(plan.invocations, (i) => i.atMs / speedup);
  const client = createHttpClient({
    address: gateway.hostname,
    port: Number(gateway.port || 80),
    timeoutMs: options.timeoutMs,
    method: 'POST',
    path: '/',
  });
  let done = 0;
  try {
    const run = await runSchedule({
      schedule,
      client,
      plan: (index) => {
        const inv = plan.invocations[index]!;
        const name = plan.functions[inv.functionIndex]!.name;
        return {
          hostname: hostnames[inv.functionIndex]!,
          endpoint: name,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ durationMs: inv.durationMs, memoryMb: inv.memoryMb }),
        };
      },
      onRecord: () => options.onProgress?.(++done, schedule.length),
    });
    return { records: run.records, startEpochMs: run.startEpochMs, hostnames };
  } finally {
    client.close();
  }
}

async function deployAll(
  functions: readonly PlannedFunction[],
  deploy: DeployTraceFunction,
  concurrency: number,
): Promise<string[]> {
  const hostnames = new Array<string>(functions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < functions.length) {
      const i = next++;
      const fn = functions[i]!;
      const status = await deploy(fn);
      hostnames[i] = new URL(status.url).hostname;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, functions.length) }, worker));
  return hostnames;
}
