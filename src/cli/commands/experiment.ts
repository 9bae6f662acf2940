/**
 * `hivelab experiment anomaly|sidecar`: the seeds' hotel experiments on the local platform,
 * each ending in `report.md` with plots in `--out`. Thin: the work is in `experiments/`.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import {
  runAnomalyExperiment,
  runSidecarExperiment,
  type ExperimentProgress,
} from '../../experiments/index.js';
import { createProgress, type Progress } from '../../invoker/index.js';
import { parseFlags } from '../flags.js';

/** Prints each note, and a progress bar while invoking (on a TTY). */
export function consoleExperimentProgress(): ExperimentProgress {
  let bar: Progress | undefined;
  return {
    note: (line) => console.log(`- ${line}`),
    invoking(done, total) {
      bar ??= createProgress(process.stdout, '  invoking');
      bar.update(done, total);
    },
    invokeEnded() {
      bar?.end();
      bar = undefined;
    },
  };
}

const positive = (what: string) =>
  z.coerce.number({ error: `expected ${what}` }).positive(`expected ${what}`);

const AnomalyFlags = z.object({
  quick: z.boolean(),
  out: z.string().min(1, 'expected a folder'),
  service: z.string().min(1, 'expected a hotel service, e.g. geo'),
  fault: z.string().min(1, 'expected a fault spec, e.g. delay=50ms'),
  rps: positive('a rate in requests per second').optional(),
  baseline: positive('a number of seconds').optional(),
  window: positive('a number of seconds').optional(),
  seed: z.coerce.number().int('expected an integer').optional(),
});

const SidecarFlags = z.object({
  quick: z.boolean(),
  out: z.string().min(1, 'expected a folder'),
  rps: positive('a rate in requests per second').optional(),
  duration: positive('a number of seconds').optional(),
  seed: z.coerce.number().int('expected an integer').optional(),
});

function printResult(started: number, reportPath: string, plots: readonly string[], outDir: string): void {
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`report: ${reportPath}`);
  for (const plot of plots) console.log(`plot:   ${plot}`);
  console.log(`traces: hivelab collector --data ${outDir}  (then http://127.0.0.1:9411)`);
}

export function register(program: Command): void {
  const experiment = program
    .command('experiment')
    .description("The seeds' hotel reservation experiments: anomaly (seed 004) and sidecar (seed 003)");
  experiment
    .command('anomaly')
    .description(
      'Seed 004: the hotel app under the mixed workload, a fault injected into one service for a window; does the analyzer name it?',
    )
    .option('--service <name>', 'the hotel service the fault goes into', 'geo')
    .option('--fault <spec>', 'what to inject (as hivelab fault set takes it)', 'delay=50ms')
    .option('--rps <n>', 'the workload rate (default 40, quick 12)')
    .option('--baseline <s>', 'seconds before the fault (default 40, quick 6)')
    .option('--window <s>', 'seconds with the fault (default 20, quick 4)')
    .option('--seed <n>', 'invoker seed, for repeatable schedules')
    .option('--quick', 'short periods (for tests; noisy figures)', false)
    .option('--out <dir>', 'where report.md, the plots, the traces and faults.jsonl go', 'hivelab-anomaly')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(AnomalyFlags, raw, 'experiment anomaly');
      const started = performance.now();
      const result = await runAnomalyExperiment({
        outDir: flags.out,
        quick: flags.quick,
        service: flags.service,
        fault: flags.fault,
        ...(flags.rps !== undefined ? { rps: flags.rps } : {}),
        ...(flags.baseline !== undefined ? { baselineS: flags.baseline } : {}),
        ...(flags.window !== undefined ? { windowS: flags.window } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        progress: consoleExperimentProgress(),
      });
      const v = result.verdict;
      console.log(
        v.rank === 1
          ? `\nThe analyzer named ${v.service} as its top suspect.`
          : `\nThe analyzer ranked ${v.service} ${v.rank ?? 'nowhere'} (top: ${v.ranking[0]?.service ?? 'none'}).`,
      );
      printResult(started, result.reportPath, result.plots, result.outDir);
    });
  experiment
    .command('sidecar')
    .description(
      "Seed 003: the hotel app under the mixed workload, then the gateway's per-stage breakdown per request type",
    )
    .option('--rps <n>', 'the workload rate (default 40, quick 12)')
    .option('--duration <s>', 'seconds measured after the warm-up (default 30, quick 4)')
    .option('--seed <n>', 'invoker seed, for repeatable schedules')
    .option('--quick', 'a short run (for tests; noisy figures)', false)
    .option('--out <dir>', 'where report.md, the plot and the traces go', 'hivelab-sidecar')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(SidecarFlags, raw, 'experiment sidecar');
      const started = performance.now();
      const result = await runSidecarExperiment({
        outDir: flags.out,
        quick: flags.quick,
        ...(flags.rps !== undefined ? { rps: flags.rps } : {}),
        ...(flags.duration !== undefined ? { durationS: flags.duration } : {}),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        progress: consoleExperimentProgress(),
      });
      printResult(started, result.reportPath, result.plots, result.outDir);
    });
}
