/**
 * `runTutorial()`: seed 000 on the local platform, step by step, ending in `report.md` and
 * its plots in the output folder. The I/O shell around `tutorial-plan.ts` (what to do),
 * `tutorial-report.ts` (what to write) and the library calls a user could make themselves
 * (deployFunctions, invoke, loadManifests/applyManifests).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyManifests, deployFunctions, loadManifests } from '../../deploy/index.js';
import { invoke, type Endpoint, type RequestRecord, type RunSummary } from '../../invoker/index.js';
import { packageRoot } from '../../package-root.js';
import type { Span } from '../../spans/index.js';
import { measureBareLimits, type BareLimits } from './bare-limits.js';
import {
  editingTarget,
  fetchTrace,
  startCollectorIn,
  startLabPlatform,
  waitForSnapshots,
  withSnapshots,
  type TutorialLab,
} from './tutorial-lab.js';
import { tutorialDeployFiles, tutorialPlan, type StepNumber, type TutorialStep } from './tutorial-plan.js';
import { writeTutorialReport } from './tutorial-report.js';
import type { RunData, StepResult, VideoTrace } from './tutorial-results.js';

export interface TutorialResult {
  outDir: string;
  reportPath: string;
  plots: string[];
  steps: StepResult[];
  bare: BareLimits;
  quick: boolean;
}

/** What the caller sees while it runs (the CLI prints it; tests may ignore it). */
export interface TutorialProgress {
  stepStarted(step: TutorialStep, index: number, total: number): void;
  note(line: string): void;
  invoking(done: number, total: number): void;
  invokeEnded(): void;
}

export interface TutorialOptions {
  outDir: string;
  /** Short runs (seconds instead of the seed's 10 s), INLINE video with one recog instance. @default false */
  quick?: boolean;
  /** Run only this step. */
  only?: StepNumber;
  progress?: TutorialProgress;
  /** Invoker seed, for repeatable schedules. @default 1 */
  seed?: number;
}

const SILENT: TutorialProgress = { stepStarted() {}, note() {}, invoking() {}, invokeEnded() {} };

interface Context {
  options: TutorialOptions;
  progress: TutorialProgress;
  lab: TutorialLab;
}

async function invokeRun(
  ctx: Context,
  endpoints: Endpoint[],
  rps: number,
  durationS: number,
): Promise<{ records: RequestRecord[]; summary: RunSummary }> {
  const result = await invoke({
    endpoints,
    rps,
    durationS,
    port: ctx.lab.port,
    timeoutMs: 60_000,
    seed: ctx.options.seed ?? 1,
    pacer: 'thread',
    onProgress: (done, total) => ctx.progress.invoking(done, total),
  });
  ctx.progress.invokeEnded();
  return { records: result.records, summary: result.summary };
}

async function deployAndInvoke(
  ctx: Context,
  step: TutorialStep,
  jsonName: string,
  coldStart: 'boot' | 'snapshot',
): Promise<RunData> {
  const { outDir } = ctx.options;
  const target = coldStart === 'snapshot' ? editingTarget(ctx.lab.platform, withSnapshots) : ctx.lab.platform;
  const deployed = await deployFunctions({
    jsonFile: path.join(outDir, jsonName),
    endpointsFile: path.join(
      outDir,
      jsonName.replace('Function', 'Endpoint').replace('.json', `-step${step.n}.json`),
    ),
    target,
    log: (line) => ctx.progress.note(line),
  });
  const endpoints = deployed.functions.map((f) => ({ hostname: f.planned.hostname, eventing: false }));
  const run = step.run ?? { rps: 1, durationS: 1 };
  ctx.progress.note(`invoking ${endpoints.length} function(s) at ${run.rps} rps for ${run.durationS} s`);
  const { records, summary } = await invokeRun(ctx, endpoints, run.rps, run.durationS);
  return { label: `step ${step.n}`, coldStart, records, summary };
}

/** Step 3: snapshots on, two warm-up invocations per function (vHive snapshots after the 2nd), then cold again. */
async function snapshotStep(ctx: Context, step: TutorialStep): Promise<{ run: RunData; notes: string[] }> {
  const notes: string[] = [];
  await ctx.lab.close();
  ctx.lab = await startLabPlatform(ctx.lab.collector, ctx.options.outDir, 'platform-snapshots');
  ctx.progress.note('platform restarted with snapshot cold starts for every function');
  const deployed = await deployFunctions({
    jsonFile: path.join(ctx.options.outDir, step.deployFile ?? 'twoFunctions.json'),
    endpointsFile: path.join(ctx.options.outDir, 'multipleEndpoints-warmup.json'),
    target: editingTarget(ctx.lab.platform, withSnapshots),
  });
  const endpoints = deployed.functions.map((f) => ({ hostname: f.planned.hostname, eventing: false }));
  ctx.progress.note('two warm-up invocations per function, then the snapshots are taken');
  await invokeRun(ctx, endpoints, endpoints.length * 2, 1);
  const types = new Set(deployed.functions.map((f) => f.planned.name.replace(/-\d+$/, ''))).size;
  if (!(await waitForSnapshots(ctx.lab.stateDir, types, 30_000))) {
    notes.push('Not every snapshot was ready after 30 s: some cold starts below booted instead.');
  }
  // Redeployed from zero: each function's first request is now a cold start from its snapshot.
  const run = await deployAndInvoke(ctx, step, step.deployFile ?? 'twoFunctions.json', 'snapshot');
  return { run, notes };
}

async function videoStep(
  ctx: Context,
  step: TutorialStep,
): Promise<{ traces: VideoTrace[]; notes: string[] }> {
  const quick = ctx.options.quick === true;
  const examples = path.join(packageRoot, 'examples', 'video-analytics');
  const storeDir = path.join(ctx.options.outDir, 'object-store');
  const traces: VideoTrace[] = [];
  const notes: string[] = [];
  let previousDir: string | undefined;
  for (const frames of step.frames ?? []) {
    const dir = quick ? 'inline' : frames === 1 ? 's3_single' : 's3';
    const services = await loadManifests([path.join(examples, dir)], { env: {} });
    for (const { spec } of services) {
      if (spec.name === 'decoder') spec.env.DecoderFrames = String(frames);
      if (spec.env.TRANSFER_TYPE === 'S3') spec.env.HIVELAB_OBJECT_STORE_DIR = storeDir;
    }
    // As kubectl apply leaves an unchanged Service alone, only the decoder (its DecoderFrames
    // changed) is redeployed after the first run: recog keeps its loaded model.
    const changed =
      traces.length === 0 || dir !== previousDir
        ? services
        : services.filter((x) => x.spec.name === 'decoder');
    previousDir = dir;
    ctx.progress.note(`applying examples/video-analytics/${dir}/ with DecoderFrames=${frames}`);
    await applyManifests(changed, ctx.lab.platform, (line) => ctx.progress.note(line));
    const { records } = await invokeRun(
      ctx,
      [{ hostname: 'streaming.default.svc.cluster.local', eventing: false }],
      1,
      1,
    );
    const record = records[0];
    if (record === undefined) continue;
    const recogCalls = (spans: Span[]): number =>
      spans.filter((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'recog').length;
    const spans =
      record.traceId === ''
        ? []
        : await fetchTrace(
            ctx.lab.collector.url,
            record.traceId,
            (s) => recogCalls(s) >= frames && s.some((x) => x.name === 'post streaming'),
          );
    if (!record.outcome.ok)
      notes.push(
        `The ${frames}-frame invocation failed: ${record.outcome.errorMessage ?? record.outcome.errorKind}.`,
      );
    traces.push({
      frames,
      traceId: record.traceId,
      latencyMs: record.completedMs - record.scheduledMs,
      ok: record.outcome.ok,
      spans,
    });
    ctx.progress.note(`trace ${record.traceId}: recog called ${recogCalls(spans)} time(s)`);
  }
  return { traces, notes };
}

/** Runs the tutorial and writes `report.md` and the plots into `options.outDir`. */
export async function runTutorial(options: TutorialOptions): Promise<TutorialResult> {
  const progress = options.progress ?? SILENT;
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  for (const [name, text] of Object.entries(tutorialDeployFiles()))
    await writeFile(path.join(outDir, name), text);
  const plan = tutorialPlan({
    quick: options.quick === true,
    ...(options.only !== undefined ? { only: options.only } : {}),
  });
  const collector = await startCollectorIn(outDir);
  const ctx: Context = {
    options: { ...options, outDir },
    progress,
    lab: await startLabPlatform(collector, outDir, 'platform'),
  };
  const steps: StepResult[] = [];
  try {
    for (const [i, step] of plan.entries()) {
      progress.stepStarted(step, i, plan.length);
      const started = performance.now();
      const result: StepResult = { step, runs: [], videoTraces: [], notes: [], durationMs: 0 };
      if (step.n === 1 || step.n === 2)
        result.runs.push(await deployAndInvoke(ctx, step, step.deployFile ?? 'singleFunction.json', 'boot'));
      if (step.n === 3) {
        const { run, notes } = await snapshotStep(ctx, step);
        result.runs.push(run);
        result.notes.push(...notes);
      }
      if (step.n === 4) {
        const { traces, notes } = await videoStep(ctx, step);
        result.videoTraces.push(...traces);
        result.notes.push(...notes);
      }
      result.durationMs = performance.now() - started;
      steps.push(result);
      await ctx.lab.platform.client.removeAll();
    }
  } finally {
    await ctx.lab.close();
  }
  progress.note('measuring the bare limits (node process start, direct gRPC call)');
  const bare = await measureBareLimits(options.quick ? 2 : 5, options.quick ? 20 : 100);
  await collector.close();
  const written = await writeTutorialReport({ outDir, steps, bare, quick: options.quick === true });
  return {
    outDir,
    reportPath: written.reportPath,
    plots: written.plots,
    steps,
    bare,
    quick: options.quick === true,
  };
}
