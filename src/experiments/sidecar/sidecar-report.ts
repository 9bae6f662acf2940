/**
 * Writes the sidecar experiment's `report.md` and its plot: the gateway's per-stage
 * breakdown per request type (all hops of a request summed) and per function called, set
 * against seed 003's Envoy stages.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunSummary } from '../../invoker/index.js';
import {
  markdownImage,
  markdownTable,
  renderReport,
  stackedBarSpec,
  writePlot,
  type BarDatum,
} from '../report/index.js';
import { GATEWAY_STAGES, STAGES, type StageRow } from './stage-breakdown.js';

export interface SidecarReportInput {
  outDir: string;
  quick: boolean;
  rps: number;
  durationS: number;
  summary: RunSummary;
  traces: number;
  byType: readonly StageRow[];
  byFunction: readonly StageRow[];
}

/** µs shown as ms with 2 decimals: stages are tens of µs, requests tens of ms. */
const ms = (us: number): string => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '-');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '-');

const STAGE_MEANING: Record<(typeof STAGES)[number], [string, string]> = {
  route: ['head parsed → routed', 'downstream parsing (HTTP codec)'],
  admit: ['routed → admitted (activator, queue-proxy)', 'request filters'],
  connect: ['admitted → upstream connection taken (new or reused)', 'upstream pool ready'],
  write: [
    'connection → request written (the body is streamed through: this waits for the caller to finish sending it)',
    'downstream body read, upstream write',
  ],
  upstream: ['request written → first response byte', 'upstream wait (process time)'],
  respond: ['first byte → response written', 'upstream read, response filters, encoding'],
};

function stageTable(rows: readonly StageRow[], groupTitle: string, perTrace: boolean): string {
  return markdownTable(
    [
      groupTitle,
      perTrace ? 'traces' : 'hops',
      ...(perTrace ? ['hops/request'] : []),
      ...STAGES.map((s) => `${s} ms`),
      'gateway share',
    ],
    rows.map((r) => [
      r.group,
      r.n,
      ...(perTrace ? [r.hopsPerTrace?.toFixed(1) ?? '-'] : []),
      ...STAGES.map((s) => ms(r.median[s])),
      pct(r.gatewayShare),
    ]),
  );
}

export async function writeSidecarReport(
  input: SidecarReportInput,
): Promise<{ reportPath: string; plots: string[] }> {
  const bars: BarDatum[] = input.byType.flatMap((r) =>
    GATEWAY_STAGES.map((stage) => ({ group: r.group, category: stage, value: r.median[stage] / 1000 })),
  );
  const plot = await writePlot(
    input.outDir,
    'gateway-stages',
    stackedBarSpec(
      bars,
      GATEWAY_STAGES,
      "The gateway's own time per request, by stage (median, all hops of a request summed)",
      'ms',
    ),
  );
  const s = input.summary;
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  const text = renderReport(
    'hivelab experiment: sidecar',
    [
      `Seed 003's question (where does a request's time go inside the sidecars?) asked of hivelab's gateway, which sits where Istio's sidecar sits, by \`hivelab experiment sidecar${input.quick ? ' --quick' : ''}\` on ${new Date().toISOString()}: ${os.cpus().length} cores, load average ${load}, Node ${process.version}.`,
      ...(input.quick ? ['Quick mode: a short run, for tests; the figures are noisy.'] : []),
    ],
    [
      {
        title: 'The run',
        blocks: [
          `The hotel reservation app (examples/hotel/) under the mixed workload (examples/hotel-mixed.json) at ${input.rps} rps for ${input.durationS} s, open loop, after a warm-up: ${s.issued} requests issued, ${s.completed} completed, p50 ${ms(s.latencyFromScheduledUs.p50)} ms, p99 ${ms(s.latencyFromScheduledUs.p99)} ms from the scheduled send. ${input.traces} of their traces carry the gateway's stage annotations.`,
        ],
      },
      {
        title: 'The stages',
        blocks: [
          "Every request through the gateway gets `stage:*` annotations on the gateway's SERVER span (see the README's gateway section); consecutive marks give these stages, beside the Envoy stages of seed 003 they stand for:",
          markdownTable(
            ['stage', 'between', 'Envoy (seed 003)'],
            STAGES.map((st) => [st, STAGE_MEANING[st][0], STAGE_MEANING[st][1]]),
          ),
        ],
      },
      {
        title: 'Per request type',
        blocks: [
          "Medians over the requests of each kind. The gateway's own stages are summed over every hop of a request (a search goes through the gateway once per service it reaches); `upstream` is the entry hop's, the whole time in the functions. Gateway share: the median share of the gateway's own stages in a request's time.",
          stageTable(input.byType, 'request type', true),
          markdownImage(
            "The gateway's own time per request, by stage",
            'gateway-stages.svg',
            'gateway-stages.png',
          ),
        ],
      },
      {
        title: 'Per function called',
        blocks: [
          'Medians over the hops into each function (its gateway SERVER span), the busiest first.',
          stageTable(input.byFunction, 'function', false),
        ],
      },
      {
        title: 'How to look further',
        blocks: [
          [
            '```',
            `hivelab analyze types --data ${input.outDir} --key root`,
            `hivelab trace show <trace id> --data ${input.outDir} --svg timeline.svg   # stages as segments`,
            `hivelab collector --data ${input.outDir}   # then the UI on http://127.0.0.1:9411`,
            '```',
          ].join('\n'),
        ],
      },
    ],
  );
  const reportPath = path.join(input.outDir, 'report.md');
  await writeFile(reportPath, text);
  return { reportPath, plots: [plot.svg, ...(plot.png ? [plot.png] : [])] };
}
