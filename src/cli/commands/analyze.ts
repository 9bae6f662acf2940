/**
 * `hivelab analyze types` and `hivelab analyze anomalies`: per-request-type rows, and the
 * traces that stand out with the span that explains them (or, with --baseline/--window,
 * the services a fault moved). Thin: the work is in `analysis/`.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  ANOMALY_METRICS,
  analyzeAnomalies,
  analyzeTypes,
  analyzeTypesAndAnomalies,
  analyzeWindow,
  anomaliesTable,
  openSource,
  parseRangeUs,
  typesCsv,
  typesSeed004,
  typesTable,
  windowTable,
  type AnomalyMethod,
  type AnomalyMetric,
  type TraceSource,
} from '../../analysis/index.js';
import { UserError } from '../../errors.js';
import {
  analysisQuery,
  analyzeOptions,
  oneOf,
  positiveInt,
  positiveNumber,
  sourceFlags,
  type RawAnalyzeFlags,
} from './analyze-flags.js';

async function withSource<T>(raw: RawAnalyzeFlags, fn: (source: TraceSource) => Promise<T>): Promise<T> {
  const source = await openSource(sourceFlags(raw));
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}

async function emit(text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  await writeFile(out, text.endsWith('\n') ? text : `${text}\n`);
  console.error(`wrote ${out}`);
}

type TypesFlags = RawAnalyzeFlags & { format?: string; out?: string };
type AnomalyFlags = RawAnalyzeFlags & {
  format?: string;
  out?: string;
  method?: string;
  k?: string;
  metric?: string;
  minCount?: string;
  top?: string;
  baseline?: string;
  window?: string;
  withTypes?: boolean;
};

async function runTypes(raw: TypesFlags): Promise<void> {
  const format = oneOf(raw.format ?? 'table', ['table', 'csv', 'json', 'seed004'] as const, '--format');
  const query = analysisQuery(raw);
  const report = await withSource(raw, (source) => analyzeTypes(source, query));
  const text =
    format === 'json'
      ? JSON.stringify(report, null, 2)
      : format === 'csv'
        ? typesCsv(report)
        : format === 'seed004'
          ? typesSeed004(report)
          : typesTable(report);
  await emit(text, raw.out);
}

function metrics(raw: string | undefined): AnomalyMetric[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((m) => oneOf<AnomalyMetric>(m.trim(), ANOMALY_METRICS, '--metric'));
}

async function runAnomalies(raw: AnomalyFlags): Promise<void> {
  const format = oneOf(raw.format ?? 'table', ['table', 'json'] as const, '--format');
  const minCount = positiveInt(raw.minCount, '--min-count');
  if ((raw.baseline === undefined) !== (raw.window === undefined)) {
    throw new UserError('window mode needs both --baseline START..END and --window START..END');
  }
  if (raw.baseline !== undefined && raw.window !== undefined) {
    if (raw.withTypes === true)
      throw new UserError('--with-types does not apply to window mode (--baseline/--window)');
    const ranges = {
      baseline: parseRangeUs(raw.baseline, '--baseline'),
      window: parseRangeUs(raw.window, '--window'),
    };
    const query = { ...analysisQuery(raw), ...(minCount !== undefined ? { minCount } : {}) };
    const report = await withSource(raw, (source) => analyzeWindow(source, ranges, query));
    await emit(format === 'json' ? JSON.stringify(report, null, 2) : windowTable(report), raw.out);
    return;
  }
  const method = oneOf<AnomalyMethod>(raw.method ?? 'mad', ['mad', 'sigma'], '--method');
  const k = positiveNumber(raw.k, '--k');
  const chosen = metrics(raw.metric);
  const top = positiveInt(raw.top, '--top');
  const query = {
    ...analysisQuery(raw),
    method,
    ...(k !== undefined ? { k } : {}),
    ...(chosen !== undefined ? { metrics: chosen } : {}),
    ...(minCount !== undefined ? { minCount } : {}),
    ...(top !== undefined ? { top } : {}),
  };
  if (raw.withTypes === true) {
    // One pass over the summaries for both reports.
    const both = await withSource(raw, (source) => analyzeTypesAndAnomalies(source, query));
    const text =
      format === 'json' ? JSON.stringify(both, null, 2) : `${typesTable(both)}\n\n${anomaliesTable(both)}`;
    await emit(text, raw.out);
    return;
  }
  const report = await withSource(raw, (source) => analyzeAnomalies(source, query));
  await emit(format === 'json' ? JSON.stringify(report, null, 2) : anomaliesTable(report), raw.out);
}

export function register(program: Command): void {
  const analyze = program
    .command('analyze')
    .description('Explain latency per request type (types, anomalies)');
  analyzeOptions(
    analyze
      .command('types')
      .description('One row per request type: count, errors, duration/CPU/memory statistics, critical path'),
  )
    .option('--format <format>', 'table|csv|json|seed004', 'table')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action((raw: TypesFlags) => runTypes(raw));
  analyzeOptions(
    analyze
      .command('anomalies')
      .description(
        'Traces above their type’s baseline and the span that explains each; or, with --baseline and --window, which service a fault moved',
      ),
  )
    .option('--method <method>', 'mad (median + k·1.4826·MAD) or sigma (mean + k·σ)', 'mad')
    .option('--k <n>', 'threshold multiplier (default 3 for mad, 2 for sigma)')
    .option('--metric <list>', `comma-separated: ${ANOMALY_METRICS.join(',')}`)
    .option('--min-count <n>', 'skip types with fewer traces', '20')
    .option('--top <n>', 'report the N most severe anomalies', '100')
    .option('--baseline <range>', 'window mode: the baseline START..END (RFC 3339 or epoch ms)')
    .option('--window <range>', 'window mode: the window START..END, after the fault')
    .option(
      '--with-types',
      'also the request types (as `analyze types`), from the same pass: JSON {types, anomalies, skipped, total}',
    )
    .option('--format <format>', 'table|json', 'table')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action((raw: AnomalyFlags) => runAnomalies(raw));
}
