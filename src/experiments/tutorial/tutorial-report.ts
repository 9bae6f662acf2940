/**
 * Writes the tutorial's `report.md` and its plots (SVG + PNG): the latency CDF of every
 * step, cold vs warm per function, boot vs snapshot cold starts, and the timeline of the
 * 6-frame video trace; the performance table sets hivelab's warm and cold latency beside
 * vHive's published figures and the bare limits measured in the same run.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  formatNumber,
  groupedBarSpec,
  latencyCdfSpec,
  markdownImage,
  markdownTable,
  percentile,
  renderReport,
  timelineSpec,
  writePlot,
  type BarDatum,
  type ReportSection,
} from '../report/index.js';
import type { BareLimits } from './bare-limits.js';
import type { StepResult } from './tutorial-results.js';
import {
  invocationsOf,
  latenciesMs,
  latencyRows,
  traceTimeline,
  VHIVE_PUBLISHED,
} from './tutorial-figures.js';

export interface TutorialReportInput {
  outDir: string;
  steps: readonly StepResult[];
  bare: BareLimits;
  quick: boolean;
}

function stepSection(result: StepResult): ReportSection {
  const { step } = result;
  const blocks = [`**What it did:** ${step.does}.`, `**What to look at:** ${step.lookAt}.`];
  if (result.runs.length > 0) {
    const rows = result.runs.map((run) => {
      const ms = latenciesMs(run.records);
      const s = run.summary;
      return [
        run.label,
        run.coldStart,
        s.issued,
        s.completed,
        s.cold,
        percentile(ms, 50),
        percentile(ms, 90),
        percentile(ms, 99),
        ms.length > 0 ? Math.max(...ms) : Number.NaN,
      ];
    });
    blocks.push(
      markdownTable(
        ['run', 'cold starts', 'issued', 'completed', 'cold', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        rows,
      ),
    );
  }
  for (const trace of result.videoTraces) {
    blocks.push(
      `- ${trace.frames} frame(s): trace \`${trace.traceId || '(none)'}\`, ${trace.ok ? 'answered' : 'FAILED'} in ${formatNumber(trace.latencyMs)} ms; recog invoked ${invocationsOf(trace.spans, 'recog')} time(s), decoder ${invocationsOf(trace.spans, 'decoder')}, streaming ${invocationsOf(trace.spans, 'streaming')}; ${trace.spans.length} spans.`,
    );
  }
  if (result.videoTraces.length > 0) {
    blocks.push(
      'Browse them: `hivelab collector --data <this folder>`, then `http://127.0.0.1:9411/api/v2/trace/<id>` (or the Zipkin/Jaeger UI on that port), or search `serviceName=recog`.',
    );
  }
  blocks.push(
    ...result.notes.map((n) => `> ${n}`),
    `Step time: ${formatNumber(result.durationMs / 1000)} s.`,
  );
  return { title: `Step ${step.n}: ${step.title}`, blocks };
}

function performanceSection(input: TutorialReportInput): ReportSection {
  const rows = latencyRows(input.steps.flatMap((s) => s.runs)).map((r) => {
    const vhive = VHIVE_PUBLISHED[r.type];
    const published = vhive
      ? `${vhive.warmMs !== undefined ? `warm ${vhive.warmMs} ms; ` : ''}cold ${vhive.snapshotColdMs} ms snapshot, ${vhive.reapColdMs} ms REAP`
      : '-';
    return [r.type, r.coldStart, r.warmCount, r.warmP50Ms, r.warmP99Ms, r.coldCount, r.coldP50Ms, published];
  });
  const { bare } = input;
  return {
    title: 'Performance: warm and cold latency per function and mode',
    blocks: [
      'Latency from the scheduled send (no coordinated omission) through the gateway, gRPC `SayHello`. A cold request waited for an instance to start (the gateway says so per request).',
      markdownTable(
        [
          'function',
          'cold starts',
          'warm n',
          'warm p50 ms',
          'warm p99 ms',
          'cold n',
          'cold p50 ms',
          'vHive published',
        ],
        rows,
      ),
      `Bare limits measured in this run: a plain \`node\` HTTP server from spawn to first answer **${formatNumber(bare.nodeSpawnToFirstResponseMs)} ms** (the floor of a boot cold start here); a warm gRPC call straight to an in-process server **${formatNumber(bare.grpcWarmRoundTripMs)} ms** (the floor of a warm request).`,
      'vHive runs functions in Firecracker microVMs (a boot is ~125 ms before any function code); hivelab runs them as processes, so its cold starts compare with the node spawn above, and its snapshot mode restores a V8 startup snapshot rather than a VM memory image. REAP has no equivalent here.',
    ],
  };
}

async function plots(input: TutorialReportInput): Promise<{ blocks: string[]; files: string[] }> {
  const blocks: string[] = [];
  const files: string[] = [];
  const add = async (name: string, alt: string, spec: Parameters<typeof writePlot>[2]): Promise<void> => {
    const written = await writePlot(input.outDir, name, spec);
    files.push(written.svg, ...(written.png ? [written.png] : []));
    blocks.push(
      markdownImage(alt, path.basename(written.svg), written.png ? path.basename(written.png) : undefined),
    );
  };
  const runs = input.steps.flatMap((s) => s.runs);
  if (runs.length > 0) {
    const series = runs.map((run) => ({
      name: `${run.label} (${run.coldStart})`,
      latenciesMs: latenciesMs(run.records),
    }));
    await add('latency-cdf', 'Latency CDF per step', latencyCdfSpec(series, 'Latency CDF per step'));
    const rows = latencyRows(runs);
    const coldWarm: BarDatum[] = rows.flatMap((r) => [
      { group: `${r.type} (${r.coldStart})`, category: 'warm p50', value: r.warmP50Ms },
      { group: `${r.type} (${r.coldStart})`, category: 'cold p50', value: r.coldP50Ms },
    ]);
    await add(
      'cold-vs-warm',
      'Cold vs warm latency',
      groupedBarSpec(
        coldWarm.filter((d) => Number.isFinite(d.value)),
        'Cold vs warm (p50)',
        'latency (ms)',
      ),
    );
    const modes = rows.filter((r) => Number.isFinite(r.coldP50Ms));
    if (new Set(modes.map((r) => r.coldStart)).size > 1) {
      const bars = modes.map((r) => ({ group: r.type, category: r.coldStart, value: r.coldP50Ms }));
      await add(
        'boot-vs-snapshot',
        'Boot vs snapshot cold starts',
        groupedBarSpec(bars, 'Cold start: boot vs snapshot (p50)', 'cold request latency (ms)'),
      );
    }
  }
  const six = input.steps.flatMap((s) => s.videoTraces).find((t) => t.frames === 6 && t.spans.length > 0);
  if (six)
    await add(
      'video-6-frames-timeline',
      'The 6-frame video analytics trace',
      timelineSpec(traceTimeline(six.spans), `Video analytics, 6 frames: trace ${six.traceId}`),
    );
  return { blocks, files };
}

/** Writes `report.md` and the plots; returns their paths. */
export async function writeTutorialReport(
  input: TutorialReportInput,
): Promise<{ reportPath: string; plots: string[] }> {
  const plotted = await plots(input);
  const intro = [
    `Seed 000 ("vHive Tracing") run by \`hivelab tutorial${input.quick ? ' --quick' : ''}\` on ${new Date().toISOString()}: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}, Node ${process.version}.`,
    input.quick
      ? 'Quick mode: shorter runs than the seed (seconds, not 10 s) and the INLINE video manifests with one recog instance.'
      : "The seed's rates and durations; the video chain through the object store (S3 manifests, a local folder as the bucket).",
    'The video analytics recog runs SqueezeNet 1.1 with seeded weights (no npm package ships pretrained ImageNet weights that install offline): the compute is real, its labels are not meaningful.',
  ];
  const sections = [
    ...input.steps.map(stepSection),
    performanceSection(input),
    { title: 'Plots', blocks: plotted.blocks },
  ];
  const reportPath = path.join(input.outDir, 'report.md');
  await writeFile(reportPath, renderReport('hivelab tutorial report', intro, sections));
  return { reportPath, plots: plotted.files };
}
