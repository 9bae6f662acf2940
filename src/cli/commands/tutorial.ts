/**
 * `hivelab tutorial [--step N] [--quick] [--out DIR]`: seed 000 ("vHive Tracing") on the
 * local platform, saying at each step what it does and what to look at, ending in
 * `report.md` with plots. Thin: the work is `runTutorial` in `experiments/`.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import {
  runTutorial,
  STEP_NUMBERS,
  type StepNumber,
  type TutorialProgress,
} from '../../experiments/index.js';
import { createProgress, type Progress } from '../../invoker/index.js';
import { parseFlags } from '../flags.js';

const TutorialFlags = z.object({
  step: z.coerce
    .number({ error: 'expected a step number from 1 to 4' })
    .int('expected a step number from 1 to 4')
    .refine((n) => STEP_NUMBERS.includes(n as StepNumber), 'expected a step number from 1 to 4')
    .optional(),
  quick: z.boolean(),
  out: z.string().min(1, 'expected a folder'),
});

/** Prints each step as it starts, its notes indented, and a progress bar while invoking (on a TTY). */
function consoleProgress(): TutorialProgress {
  let bar: Progress | undefined;
  return {
    stepStarted(step, index, total) {
      console.log(`\n[${index + 1}/${total}] Step ${step.n}: ${step.title}`);
      console.log(`  doing:       ${step.does}`);
      console.log(`  look at:     ${step.lookAt}`);
    },
    note: (line) => console.log(`  - ${line}`),
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

export function register(program: Command): void {
  program
    .command('tutorial')
    .description(
      "Run seed 000 (vHive's tracing tutorial) on the local platform and write report.md with plots",
    )
    .option('--step <n>', 'run only step N (1 helloworld, 2 four functions, 3 snapshots, 4 video analytics)')
    .option('--quick', 'short runs (seconds instead of 10 s; INLINE video with one recog)', false)
    .option(
      '--out <dir>',
      'where report.md, the plots, the traces and the deployer files go',
      'hivelab-tutorial',
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(TutorialFlags, raw, 'tutorial');
      const started = performance.now();
      const result = await runTutorial({
        outDir: flags.out,
        quick: flags.quick,
        ...(flags.step !== undefined ? { only: flags.step as StepNumber } : {}),
        progress: consoleProgress(),
      });
      console.log(`\nTutorial done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      console.log(`report: ${result.reportPath}`);
      for (const plot of result.plots) console.log(`plot:   ${plot}`);
      console.log(`traces: hivelab collector --data ${result.outDir}  (then http://127.0.0.1:9411)`);
    });
}
