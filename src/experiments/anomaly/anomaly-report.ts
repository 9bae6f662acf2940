/**
 * Writes the anomaly experiment's `report.md` and plots (SVG + PNG): the verdict first
 * (did the analyzer name the injected service?), then the run, the per-type rows, the
 * anomalies with their culprits, window mode's suspects and the injections, with the
 * commands that reproduce each analysis from the stored traces.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  AnomaliesReport,
  KeyKind,
  TypesReport,
  WindowRanges,
  WindowReport,
} from '../../analysis/index.js';
import type { FaultInjection } from '../../platform/index.js';
import { latencyFromScheduledUs, type RequestRecord, type RunSummary } from '../../invoker/index.js';
import {
  formatNumber,
  latencyCdfSpec,
  latencyOverTimeSpec,
  markdownImage,
  markdownTable,
  rankedBarSpec,
  renderReport,
  writePlot,
  type ReportSection,
} from '../report/index.js';
import { labelTypes, type TypeLabel } from '../hotel/type-labels.js';
import type { AnomalyPlan } from './anomaly-plan.js';
import type { AnomalyVerdict } from './anomaly-verdict.js';

/** One measured period of the experiment: its requests and their summary. */
export interface PeriodRun {
  name: 'baseline' | 'window';
  startMs: number;
  endMs: number;
  records: RequestRecord[];
  summary: RunSummary;
}

export interface AnomalyReportInput {
  outDir: string;
  plan: AnomalyPlan;
  periods: readonly PeriodRun[];
  ranges: WindowRanges;
  types: TypesReport;
  anomalies: AnomaliesReport;
  window: WindowReport;
  injections: readonly FaultInjection[];
  verdict: AnomalyVerdict;
  tracesFound: number;
  /** The request-type key of the rows and the anomalies. */
  key: KeyKind;
  /** Distinct call trees among the traces (the `tree` key's types). */
  treeTypes: number;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '-');
const ms = (us: number): number => us / 1000;

function verdictSection(input: AnomalyReportInput): ReportSection {
  const { verdict: v, plan } = input;
  const top = v.ranking[0];
  const named =
    v.rank === 1
      ? `**Yes: the analyzer named \`${v.service}\`** as its top suspect (score ${formatNumber(top!.score)}, strongest evidence \`${top!.metric}\`).`
      : v.rank === undefined
        ? `**No: \`${v.service}\` is not among the analyzer's suspects.**`
        : `**No: the analyzer ranked \`${v.service}\` ${v.rank} of ${v.ranking.length}**; its top suspect is \`${top?.service}\` (score ${formatNumber(top?.score ?? NaN)}).`;
  const rows = v.ranking
    .slice(0, 8)
    .map((r, i) => [
      i + 1,
      r.service === v.service ? `**${r.service}** (injected)` : r.service,
      r.score,
      r.operation ?? '(whole service)',
      r.metric,
    ]);
  return {
    title: 'Verdict',
    blocks: [
      `Fault \`${plan.fault}\` injected into \`${plan.service}\` for ${plan.windowS} s after a ${plan.baselineS} s baseline.`,
      named,
      "Window mode ranks services by how far their critical-path time, self time, wire time, CPU, memory and error rate moved in the window, each against its own baseline spread (robust z); a service's score is its largest z over all request types together.",
      markdownTable(['rank', 'service', 'score', 'strongest node', 'strongest evidence'], rows),
      v.flagged === 0
        ? `Anomalies against the injections (by trace id): the fault log has **${v.injected}** injected traces; the analyzer flagged **no** trace on duration (above median + 3·1.4826·MAD of its type, baseline and window together).`
        : `Anomalies against the injections (by trace id): the fault log has **${v.injected}** injected traces; the analyzer flagged **${v.flagged}** traces on duration (above median + 3·1.4826·MAD of their type, baseline and window together), **${v.flaggedInjected}** of them injected: recall ${pct(v.recall)}, precision ${pct(v.precision)}; the culprit span of ${v.culpritInService} of those ${v.flaggedInjected} is in \`${v.service}\`.`,
      markdownImage('Suspect scores per service', 'suspects.svg', 'suspects.png'),
    ],
  };
}

function runSection(input: AnomalyReportInput): ReportSection {
  const t0 = input.periods[0]?.startMs ?? 0;
  const rows = input.periods.flatMap((p) => {
    const kinds = [...new Set(p.records.map((r) => r.kind ?? 'request'))].sort();
    return ['all', ...kinds].map((kind) => {
      const records = kind === 'all' ? p.records : p.records.filter((r) => (r.kind ?? 'request') === kind);
      const ok = records
        .filter((r) => r.outcome.ok)
        .map((r) => ms(latencyFromScheduledUs(r)))
        .sort((a, b) => a - b);
      const q = (f: number): number =>
        ok.length === 0 ? NaN : ok[Math.min(ok.length - 1, Math.floor(f * ok.length))]!;
      return [
        kind === 'all' ? `**${p.name}**` : p.name,
        kind,
        `${formatNumber((p.startMs - t0) / 1000)}-${formatNumber((p.endMs - t0) / 1000)}`,
        records.length,
        records.length - ok.length,
        q(0.5),
        q(0.99),
      ];
    });
  });
  return {
    title: 'The run',
    blocks: [
      `The hotel reservation app (examples/hotel/) under the mixed workload (examples/hotel-mixed.json: 60 % search, 39 % recommend, 0.5 % login, 0.5 % reserve), open loop, exponential inter-arrival times at ${input.plan.rps} rps, after a ${input.plan.warmupS} s warm-up that is not analysed. Latency from the scheduled send (no coordinated omission).`,
      markdownTable(['period', 'kind', 's since start', 'issued', 'failed', 'p50 ms', 'p99 ms'], rows),
      `${input.tracesFound} traces of the two periods reached the collector.`,
      markdownImage(
        'Latency over time, the fault window shaded',
        'latency-over-time.svg',
        'latency-over-time.png',
      ),
      markdownImage('Latency CDF, baseline vs window', 'latency-cdf.svg', 'latency-cdf.png'),
    ],
  };
}

function typesSection(input: AnomalyReportInput, labels: Map<string, TypeLabel>): ReportSection {
  const { types } = input;
  const rows = types.types.map((t) => {
    const label = labels.get(t.key)!;
    const slowest = t.criticalPath[0];
    return [
      label.id,
      label.description,
      t.count,
      pct(t.errorRate),
      t.durationMs.p50,
      t.durationMs.p99,
      t.cpuMs.p50,
      t.peakMemKb.p50 / 1024,
      slowest ? `${slowest.service}:${slowest.operation} ${formatNumber(slowest.medianUs / 1000)} ms` : '-',
    ];
  });
  return {
    title: 'Request types (per-type rows)',
    blocks: [
      (input.key === 'root'
        ? `Traces grouped by their root span (\`--key root\`: the invoker's span, named by the request), over the baseline and the window together. Their call trees take ${input.treeTypes} distinct shapes (cache hits and misses change which memcached and mongodb hops appear), too many types of too few traces to flag anomalies in; \`hivelab analyze types --data <this folder>\` lists them. `
        : `Traces grouped by the ${input.key} key (${input.treeTypes} distinct call trees), over the baseline and the window together. `) +
        'CPU is the sum of the `cpu.ms` tags of a trace, memory the largest `peak_mem.kb`.',
      markdownTable(
        [
          'type',
          'endpoint: services',
          'traces',
          'errors',
          'p50 ms',
          'p99 ms',
          'CPU p50 ms',
          'peak mem p50 MB',
          'largest critical-path node (median)',
        ],
        rows,
      ),
    ],
  };
}

function anomaliesSection(input: AnomalyReportInput, labels: Map<string, TypeLabel>): ReportSection {
  const injected = new Set(input.injections.map((i) => i.traceId));
  const { anomalies } = input;
  const byMetric = new Map<string, number>();
  for (const a of anomalies.anomalies) byMetric.set(a.metric, (byMetric.get(a.metric) ?? 0) + 1);
  const rows = anomalies.anomalies
    .slice(0, 15)
    .map((a) => [
      `\`${a.traceId.slice(0, 16)}\``,
      labels.get(a.type)?.id ?? '?',
      a.metric,
      a.value,
      a.baseline.median,
      a.culprit ? `${a.culprit.service}:${a.culprit.operation}` : '-',
      a.culprit?.value ?? '-',
      a.culprit?.usual ?? '-',
      injected.has(a.traceId) ? 'yes' : 'no',
    ]);
  const blocks = [
    `${anomalies.total} flagged (trace, metric) pairs in all: ${[...byMetric].map(([m, n]) => `${n} on ${m}`).join(', ') || 'none'}. The most severe, with the span that explains each (the node whose own value exceeds its usual value in the type by the most); durations in ms, CPU in ms, memory in KB:`,
    rows.length > 0
      ? markdownTable(
          ['trace', 'type', 'metric', 'value', 'type median', 'culprit', 'its value', 'usual', 'injected'],
          rows,
        )
      : 'No anomalies.',
  ];
  for (const s of anomalies.skipped)
    blocks.push(`Skipped ${labels.get(s.type)?.id ?? s.type} (${s.count} traces): ${s.reason}.`);
  return { title: 'Anomalies', blocks };
}

function suspectsSection(input: AnomalyReportInput, labels: Map<string, TypeLabel>): ReportSection {
  const rows = input.window.suspects.slice(0, 12).map((s) => {
    const evidence = Object.entries(s.evidence)
      .filter(([key]) => key !== 'traces')
      .map(([key, c]) => [key, c as { baseline: number; window: number; z: number }] as const)
      .sort((a, b) => b[1].z - a[1].z)
      .slice(0, 2)
      .map(
        ([key, c]) =>
          `${key} ${formatNumber(c.baseline)} → ${formatNumber(c.window)} (z ${formatNumber(c.z)})`,
      )
      .join('; ');
    return [
      s.score,
      s.service,
      s.operation ?? '(whole service)',
      s.type === null ? 'all types' : (labels.get(s.type)?.id ?? '?'),
      evidence,
    ];
  });
  return {
    title: 'Window mode: suspects',
    blocks: [
      'Services and `service:operation` nodes whose evidence grew in the window over the baseline, per request type and over all types, highest score first. Times in µs, CPU in ms, memory in KB.',
      rows.length > 0
        ? markdownTable(['score', 'service', 'operation', 'type', 'evidence (baseline → window)'], rows)
        : 'No suspects.',
    ],
  };
}

function injectionsSection(input: AnomalyReportInput): ReportSection {
  const { injections, ranges, outDir } = input;
  const first = injections[0];
  const last = injections.at(-1);
  const range = (r: { startUs: number; endUs: number }): string =>
    `${Math.floor(r.startUs / 1000)}..${Math.ceil(r.endUs / 1000)}`;
  return {
    title: 'Injections, and how to look further',
    blocks: [
      first && last
        ? `${injections.length} injections of \`${first.order}\` into \`${first.function}\`, from ${new Date(first.timeMs).toISOString()} to ${new Date(last.timeMs).toISOString()}; every one is a line of \`faults.jsonl\` in this folder (time, function, kinds, amounts, trace id), and a \`fault.injected\` tag on the function's span.`
        : 'No injection was recorded.',
      'The traces are stored in this folder. The same analyses from the command line:',
      [
        '```',
        `hivelab analyze types --data ${outDir}`,
        `hivelab analyze anomalies --data ${outDir}`,
        `hivelab analyze anomalies --data ${outDir} --baseline ${range(ranges.baseline)} --window ${range(ranges.window)}`,
        `hivelab collector --data ${outDir}   # then the UI on http://127.0.0.1:9411`,
        '```',
      ].join('\n'),
    ],
  };
}

export async function writeAnomalyReport(
  input: AnomalyReportInput,
): Promise<{ reportPath: string; plots: string[] }> {
  const { outDir, plan, periods, verdict } = input;
  const labels = labelTypes(input.types.types.map((t) => t.key));
  const t0 = periods[0]?.startMs ?? 0;
  const points = periods.flatMap((p) =>
    p.records
      .filter((r) => r.outcome.ok)
      .map((r) => ({
        atS: (p.startMs - t0 + r.scheduledMs) / 1000,
        latencyMs: ms(latencyFromScheduledUs(r)),
        series: r.kind ?? 'request',
      })),
  );
  const window = periods.find((p) => p.name === 'window');
  const plots = [
    await writePlot(
      outDir,
      'latency-over-time',
      latencyOverTimeSpec(
        points,
        window
          ? [
              {
                fromS: (window.startMs - t0) / 1000,
                toS: (window.endMs - t0) / 1000,
                label: `${plan.fault} into ${plan.service}`,
              },
            ]
          : [],
        'Latency of each request over time',
      ),
    ),
    await writePlot(
      outDir,
      'latency-cdf',
      latencyCdfSpec(
        periods.map((p) => ({
          name: p.name === 'window' ? `window (${plan.fault} into ${plan.service})` : 'baseline',
          latenciesMs: p.records.filter((r) => r.outcome.ok).map((r) => ms(latencyFromScheduledUs(r))),
        })),
        'Latency CDF, baseline vs window',
      ),
    ),
    await writePlot(
      outDir,
      'suspects',
      rankedBarSpec(
        verdict.ranking
          .slice(0, 10)
          .map((r) => ({ label: r.service, value: r.score, highlight: r.service === plan.service })),
        'Window mode: the highest score of each service',
        'score (robust z)',
        { highlighted: 'injected service', other: 'other services' },
      ),
    ),
  ];
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  const intro = [
    `Seed 004's fault-localisation experiment run by \`hivelab experiment anomaly${plan.quick ? ' --quick' : ''}\` on ${new Date().toISOString()}: ${os.cpus().length} cores, load average ${load}, Node ${process.version}.`,
    ...(plan.quick ? ['Quick mode: short periods, for tests; the figures are noisy.'] : []),
  ];
  const text = renderReport('hivelab experiment: anomaly', intro, [
    verdictSection(input),
    runSection(input),
    typesSection(input, labels),
    anomaliesSection(input, labels),
    suspectsSection(input, labels),
    injectionsSection(input),
    {
      title: 'Request types: full keys',
      blocks: [input.types.types.map((t) => `- **${labels.get(t.key)!.id}** \`${t.key}\``).join('\n')],
    },
  ]);
  const reportPath = path.join(outDir, 'report.md');
  await writeFile(reportPath, text);
  return { reportPath, plots: plots.flatMap((p) => [p.svg, ...(p.png ? [p.png] : [])]) };
}
