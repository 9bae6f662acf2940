/**
 * `runAnomalyExperiment()`: seed 004 on the local platform. The hotel app under the mixed
 * workload; a warm-up; a baseline period; a fault set on one service through the admin API
 * (as `hivelab fault set` does) for a window, then cleared; then the analyzer over the
 * collector's store: per-type rows, anomalies with their culprits, and window mode's
 * suspects, held against the injections the platform recorded. Ends in `report.md` and
 * plots in the output folder. The I/O shell around `anomaly-plan.ts`, `anomaly-verdict.ts`
 * and `anomaly-report.ts`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  analyzeAnomalies,
  analyzeTypes,
  analyzeWindow,
  type AnomaliesReport,
  type KeyKind,
  type TypesReport,
  type WindowRanges,
  type WindowReport,
} from '../../analysis/index.js';
import type { FaultInjection } from '../../platform/index.js';
import { SILENT_PROGRESS, type ExperimentProgress } from '../hotel/experiment-progress.js';
import { runWorkload, startHotelLab, waitForTraces, type HotelLab } from '../hotel/hotel-lab.js';
import { anomalyPlan, type AnomalyPlan, type AnomalyPlanOptions } from './anomaly-plan.js';
import { writeAnomalyReport, type PeriodRun } from './anomaly-report.js';
import { anomalyVerdict, type AnomalyVerdict } from './anomaly-verdict.js';

export interface AnomalyOptions extends AnomalyPlanOptions {
  outDir: string;
  progress?: ExperimentProgress;
  /** Run on this lab (the hotel app deployed) instead of starting one in `outDir`. */
  lab?: HotelLab;
  /**
   * Request-type key for the per-type rows and the anomalies. @default 'root': the
   * invoker's span, one type per endpoint (the call tree varies with cache hits and misses,
   * which splits the traffic into types too small to flag)
   */
  key?: KeyKind;
}

/** One period's invoker run. */
export interface AnomalyResult {
  outDir: string;
  reportPath: string;
  plots: string[];
  plan: AnomalyPlan;
  periods: PeriodRun[];
  ranges: WindowRanges;
  types: TypesReport;
  anomalies: AnomaliesReport;
  window: WindowReport;
  injections: FaultInjection[];
  verdict: AnomalyVerdict;
  tracesFound: number;
}

export async function runAnomalyExperiment(options: AnomalyOptions): Promise<AnomalyResult> {
  const plan = anomalyPlan(options);
  const progress = options.progress ?? SILENT_PROGRESS;
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const lab = options.lab ?? (await startHotelLab(outDir, (l) => progress.note(l)));
  try {
    const invokeFor = async (name: PeriodRun['name'] | 'warm-up', durationS: number, seed: number) => {
      progress.note(`${name}: the mixed workload at ${plan.rps} rps for ${durationS} s`);
      const startMs = Date.now();
      const result = await runWorkload(lab, { rps: plan.rps, durationS, seed }, (d, t) =>
        progress.invoking(d, t),
      );
      progress.invokeEnded();
      return { startMs, endMs: Date.now(), records: result.records, summary: result.summary };
    };
    await invokeFor('warm-up', plan.warmupS, plan.seed + 100);
    const baseline = {
      name: 'baseline' as const,
      ...(await invokeFor('baseline', plan.baselineS, plan.seed)),
    };
    const fn = { namespace: 'default', name: plan.service };
    const set = await lab.platform.client.setFault(fn.namespace, fn.name, plan.fault);
    progress.note(`fault set on ${set.function}: ${set.spec}`);
    let window: PeriodRun;
    try {
      window = { name: 'window', ...(await invokeFor('window', plan.windowS, plan.seed + 1)) };
      window.startMs = set.sinceMs;
    } finally {
      await lab.platform.client.clearFault(fn.namespace, fn.name);
      progress.note(`fault cleared on ${set.function}`);
    }
    const ranges: WindowRanges = {
      baseline: { startUs: baseline.startMs * 1000, endUs: set.sinceMs * 1000 },
      window: { startUs: set.sinceMs * 1000, endUs: window.endMs * 1000 },
    };
    const whole = { startUs: ranges.baseline.startUs, endUs: ranges.window.endUs };
    const expected = baseline.records.length + window.records.length;
    progress.note('waiting for the traces to reach the collector');
    const tracesFound = await waitForTraces(lab, whole, expected);
    progress.note(`analysing ${tracesFound} traces (baseline and window)`);
    const key = options.key ?? 'root';
    const types = await analyzeTypes(lab.source, { window: whole, key });
    const anomalies = await analyzeAnomalies(lab.source, { window: whole, key, top: 1000 });
    const windowReport = await analyzeWindow(lab.source, ranges, { key });
    const { injections } = await lab.platform.client.faults({ function: set.function, sinceMs: set.sinceMs });
    const verdict = anomalyVerdict(plan.service, windowReport, anomalies, injections);
    const treeTypes = (await analyzeTypes(lab.source, { window: whole, key: 'tree' })).types.length;
    const written = await writeAnomalyReport({
      outDir,
      plan,
      periods: [baseline, window],
      ranges,
      types,
      anomalies,
      window: windowReport,
      injections,
      verdict,
      tracesFound,
      key,
      treeTypes,
    });
    return {
      outDir,
      reportPath: written.reportPath,
      plots: written.plots,
      plan,
      periods: [baseline, window],
      ranges,
      types,
      anomalies,
      window: windowReport,
      injections,
      verdict,
      tracesFound,
    };
  } finally {
    if (!options.lab) await lab.close();
  }
}
