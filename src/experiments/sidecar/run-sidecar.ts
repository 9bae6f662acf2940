/**
 * `runSidecarExperiment()`: seed 003 on the local platform. The hotel app under the mixed
 * workload, then where each request's time went inside the gateway (hivelab's sidecar):
 * the `stage:*` annotations of every gateway SERVER span of every trace, per request type
 * and per function called. Ends in `report.md` and a plot in the output folder.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RunSummary } from '../../invoker/index.js';
import { SILENT_PROGRESS, type ExperimentProgress } from '../hotel/experiment-progress.js';
import { runWorkload, startHotelLab, waitForTraces, type HotelLab } from '../hotel/hotel-lab.js';
import { writeSidecarReport } from './sidecar-report.js';
import { breakdownByFunction, breakdownByType, hopsOf, type Hop, type StageRow } from './stage-breakdown.js';

export interface SidecarOptions {
  outDir: string;
  /** Short runs, for tests. @default false */
  quick?: boolean;
  /** @default 40 (quick 12) */
  rps?: number;
  /** @default 30 (quick 4) */
  durationS?: number;
  seed?: number;
  progress?: ExperimentProgress;
  /** Run on this lab (the hotel app deployed) instead of starting one in `outDir`. */
  lab?: HotelLab;
}

export interface SidecarResult {
  outDir: string;
  reportPath: string;
  plots: string[];
  rps: number;
  durationS: number;
  summary: RunSummary;
  /** Traces read back, and those of them carrying stage annotations. */
  traces: number;
  byType: StageRow[];
  byFunction: StageRow[];
}

export async function runSidecarExperiment(options: SidecarOptions): Promise<SidecarResult> {
  const quick = options.quick === true;
  const rps = options.rps ?? (quick ? 12 : 40);
  const durationS = options.durationS ?? (quick ? 4 : 30);
  const seed = options.seed ?? 3;
  const progress = options.progress ?? SILENT_PROGRESS;
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const lab = options.lab ?? (await startHotelLab(outDir, (l) => progress.note(l)));
  try {
    const warmupS = quick ? 3 : 10;
    progress.note(`warm-up: the mixed workload at ${rps} rps for ${warmupS} s`);
    await runWorkload(lab, { rps, durationS: warmupS, seed: seed + 100 }, (d, t) => progress.invoking(d, t));
    progress.invokeEnded();
    progress.note(`measured run: the mixed workload at ${rps} rps for ${durationS} s`);
    const startMs = Date.now();
    const run = await runWorkload(lab, { rps, durationS, seed }, (d, t) => progress.invoking(d, t));
    progress.invokeEnded();
    const range = { startUs: startMs * 1000, endUs: Date.now() * 1000 };
    progress.note('waiting for the traces to reach the collector');
    await waitForTraces(lab, range, run.records.length);
    const traces: { type: string; hops: Hop[] }[] = [];
    for (const record of run.records) {
      if (!record.outcome.ok || record.traceId === '') continue;
      const hops = hopsOf(await lab.source.getTrace(record.traceId));
      if (hops.length > 0) traces.push({ type: record.kind ?? 'request', hops });
    }
    progress.note(`${traces.length} traces with the gateway's stage annotations`);
    const byType = breakdownByType(traces);
    const byFunction = breakdownByFunction(traces.flatMap((t) => t.hops));
    const written = await writeSidecarReport({
      outDir,
      quick,
      rps,
      durationS,
      summary: run.summary,
      traces: traces.length,
      byType,
      byFunction,
    });
    return {
      outDir,
      reportPath: written.reportPath,
      plots: written.plots,
      rps,
      durationS,
      summary: run.summary,
      traces: traces.length,
      byType,
      byFunction,
    };
  } finally {
    if (!options.lab) await lab.close();
  }
}
