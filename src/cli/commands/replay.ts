/**
 * `hivelab replay`: replays an Azure Functions trace (vHive's loader) on the hivelab
 * platform: one built-in `trace-func` per traced function, per-minute counts with the
 * chosen inter-arrival distribution, warm-up minutes first. Thin: validation here, the
 * planning and the run in `invoker/`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseFlags } from '../flags.js';
import {
  createProgress,
  formatReplayCsv,
  IAT_DISTRIBUTIONS,
  planReplay,
  platformDeployer,
  randomSeed,
  readAzureTrace,
  runReplay,
  summarizeReplay,
  type FunctionWork,
  type PhaseSummary,
} from '../../invoker/index.js';

const ReplayFlags = z.object({
  trace: z.string({ error: 'expected a folder with invocations.csv, durations.csv and memory.csv' }).min(1),
  duration: z.coerce.number().int('expected whole minutes, e.g. 10').min(1, 'expected at least 1 minute'),
  warmup: z.coerce.number().int('expected whole minutes, e.g. 1').min(0, 'expected 0 or more minutes'),
  iat: z.enum(IAT_DISTRIBUTIONS, { error: `expected one of ${IAT_DISTRIBUTIONS.join(', ')}` }),
  shift: z.boolean(),
  gateway: z.url({ error: 'expected the gateway URL, e.g. http://127.0.0.1:8080' }),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS label, e.g. default'),
  seed: z.coerce.number().int('expected an integer seed').min(0, 'expected an integer seed >= 0').optional(),
  timeout: z.coerce.number().positive('expected seconds > 0, e.g. 900'),
  speedup: z.coerce.number().positive('expected a factor > 0; 1 = real time'),
  out: z.string().min(1),
  json: z.boolean(),
});
type ReplayFlags = z.infer<typeof ReplayFlags>;

export function parseReplayFlags(raw: Record<string, unknown>): ReplayFlags {
  return parseFlags(ReplayFlags, raw, 'replay');
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('Replay an Azure Functions trace (invocations/durations/memory CSVs) on the platform')
    .requiredOption('--trace <dir>', 'folder with invocations.csv, durations.csv, memory.csv')
    .requiredOption('--duration <min>', 'measured minutes to replay')
    .option('--warmup <min>', 'warm-up minutes replayed first (phase 1)', '0')
    .option(
      '--iat <d>',
      `inter-arrival times within a minute: ${IAT_DISTRIBUTIONS.join(' | ')}`,
      'exponential',
    )
    .option('--shift', 'rotate each minute by a random offset', false)
    .option('--gateway <url>', 'hivelab gateway URL', 'http://127.0.0.1:8080')
    .option('--namespace <ns>', 'namespace of the deployed trace functions', 'default')
    .option('--seed <n>', 'seed for arrival times and sampled durations/memory')
    .option('--timeout <s>', 'per-invocation timeout in seconds', '900')
    .option('--speedup <x>', 'replay faster than real time (2 = a minute in 30 s)', '1')
    .option('--out <dir>', 'where replay.csv and replay-summary.json go', '.')
    .option('--json', 'print the JSON summary on stdout', false)
    .action(async (raw: Record<string, unknown>) => {
      await runReplayCommand(parseReplayFlags(raw));
    });
}

async function runReplayCommand(flags: ReplayFlags): Promise<void> {
  const trace = await readAzureTrace(flags.trace);
  const seed = flags.seed ?? randomSeed();
  const plan = planReplay(trace, {
    durationMin: flags.duration,
    warmupMin: flags.warmup,
    distribution: flags.iat,
    shift: flags.shift,
    seed,
  });
  if (!flags.json) {
    console.log(
      `replaying ${plan.functions.length} functions, ${plan.invocations.length} invocations over ${plan.totalMinutes} min ` +
        `(seed ${seed}${plan.skipped.length ? `, ${plan.skipped.length} functions skipped: not in all three files` : ''})`,
    );
  }
  const progress = createProgress(process.stderr, 'replaying');
  const result = await runReplay({
    plan,
    gatewayUrl: flags.gateway,
    deploy: platformDeployer(flags.gateway, flags.namespace),
    timeoutMs: flags.timeout * 1000,
    speedup: flags.speedup,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.end();
  const summary = { seed, ...summarizeReplay(plan, result.records), skipped: plan.skipped };
  await mkdir(flags.out, { recursive: true });
  const csvFile = path.join(flags.out, 'replay.csv');
  const summaryFile = path.join(flags.out, 'replay-summary.json');
  await writeFile(csvFile, formatReplayCsv(plan, result.records, result.startEpochMs));
  await writeFile(summaryFile, JSON.stringify(summary, null, 2) + '\n');
  if (flags.json) {
    console.log(JSON.stringify({ ...summary, files: { rows: csvFile, summary: summaryFile } }, null, 2));
    return;
  }
  printPhase('warm-up', summary.warmup);
  printPhase('measured', summary.measured);
  const failing = Object.entries(summary.failuresByFunction);
  if (failing.length > 0)
    console.log(`failures by function: ${failing.map(([f, n]) => `${f} ${n}`).join(', ')}`);
  printWork(summary.work);
  console.log(`per-invocation rows: ${csvFile}; summary: ${summaryFile}`);
}

/** Requested vs executed duration per function (trace-func spends the request in total). */
function printWork(work: readonly FunctionWork[]): void {
  const rows = work.filter((w) => w.invocations > 0);
  if (rows.length === 0) return;
  const name = Math.max(8, ...rows.map((w) => w.function.length));
  console.log(
    `${'function'.padEnd(name)}  requested p50 ms  executed p50 ms  within 5 %  touch took longer  otherwise off`,
  );
  for (const w of rows) {
    console.log(
      `${w.function.padEnd(name)}  ${w.requestedDurationMsP50.toFixed(1).padStart(16)}  ${w.executedDurationMsP50.toFixed(1).padStart(15)}  ` +
        `${`${w.withinTolerance}/${w.invocations}`.padStart(10)}  ${String(w.touchTookLonger).padStart(17)}  ${String(w.otherwiseOff).padStart(13)}`,
    );
  }
}

function printPhase(name: string, p: PhaseSummary): void {
  const ms = (us: number): string => (us / 1000).toFixed(1);
  const e = p.errors;
  console.log(
    `${name}: ${p.invocations} invocations, ${p.ok} ok, ${p.cold} cold; response time p50 ${ms(p.responseTimeUs.p50)} ms, ` +
      `p99 ${ms(p.responseTimeUs.p99)} ms; errors: timeout ${e.timeout}, refused ${e.refused}, status ${e.status}, other ${e.other}`,
  );
}
