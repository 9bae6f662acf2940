/**
 * `analyze types` output: a terminal table, CSV with units in the column names, and seed
 * 004's CSV (its header byte for byte: durations and CPU in ms, memory in KB).
 */
import type { MetricStats, TypeRow, TypesReport } from '../types/request-types.js';

/** Seed 004's header, byte for byte. */
export const SEED004_HEADER =
  'request_type,count,max_duration,avg_duration,min_duration,std_duration,max_cpu_time,avg_cpu_time,min_cpu_time,std_cpu_time,max_peak_mem,avg_peak_mem,min_peak_mem,std_peak_mem';

/** A CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const STATS = ['min', 'p50', 'p90', 'p99', 'max', 'mean', 'std'] as const;

function statColumns(prefix: string, unit: string): string[] {
  return STATS.map((s) => `${prefix}_${s}_${unit}`);
}

/** CSV of every field of the rows; critical path as `service:operation=µs;…`. */
export function typesCsv(report: TypesReport): string {
  const header = [
    'key',
    'count',
    'error_rate',
    ...statColumns('duration', 'ms'),
    ...statColumns('cpu', 'ms'),
    ...statColumns('peak_mem', 'kb'),
    'critical_path_median_us',
    'example_trace_ids',
  ];
  const lines = report.types.map((row) =>
    [
      row.key,
      row.count,
      row.errorRate,
      ...STATS.map((s) => row.durationMs[s]),
      ...STATS.map((s) => row.cpuMs[s]),
      ...STATS.map((s) => row.peakMemKb[s]),
      row.criticalPath.map((c) => `${c.service}:${c.operation}=${c.medianUs}`).join(';'),
      row.exampleTraceIds.join(';'),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** Seed 004's rows (the key is whatever `--key` chose; seed 004's own is `--key set`). */
export function typesSeed004(report: TypesReport): string {
  const lines = report.types.map((row) =>
    [
      row.key,
      row.count,
      row.durationMs.max,
      row.durationMs.mean,
      row.durationMs.min,
      row.durationMs.std,
      row.cpuMs.max,
      row.cpuMs.mean,
      row.cpuMs.min,
      row.cpuMs.std,
      row.peakMemKb.max,
      row.peakMemKb.mean,
      row.peakMemKb.min,
      row.peakMemKb.std,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[SEED004_HEADER, ...lines].join('\n')}\n`;
}

/** Columns padded to their widest cell, two spaces apart. */
export function padTable(cells: readonly string[][]): string {
  const widths = (cells[0] ?? []).map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd((widths[col] ?? 0) + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

const fmt = (stats: MetricStats, digits = 1): string =>
  `${stats.p50.toFixed(digits)}/${stats.p99.toFixed(digits)}/${stats.max.toFixed(digits)}`;

function topPath(row: TypeRow): string {
  return row.criticalPath
    .slice(0, 3)
    .map((c) => `${c.service}:${c.operation} ${(c.medianUs / 1000).toFixed(1)}ms`)
    .join(', ');
}

/** The terminal table: one row per type, the key last (it can be long). */
export function typesTable(report: TypesReport): string {
  if (report.types.length === 0) return 'no traces in the window';
  return padTable([
    [
      'COUNT',
      'ERR%',
      'DURATION ms p50/p99/max',
      'CPU ms p50/p99/max',
      'MEM KB p50/max',
      'CRITICAL PATH (median)',
      'TYPE',
    ],
    ...report.types.map((row) => [
      String(row.count),
      (row.errorRate * 100).toFixed(1),
      fmt(row.durationMs),
      fmt(row.cpuMs),
      `${row.peakMemKb.p50}/${row.peakMemKb.max}`,
      topPath(row),
      row.key,
    ]),
  ]);
}
