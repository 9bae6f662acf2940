/**
 * The three Azure Functions trace files (Shahrad et al., as replayed by vHive's loader),
 * parsed and validated. Headers are checked by name; every bad cell is reported with
 * file, line and column. Pure: text in, tables out.
 */
import { UserError } from '../../errors.js';
import { csvError, numberCell, readCsv, type CsvRow } from './csv-table.js';

const KEY_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction'] as const;
export const DURATION_PERCENTILE_COLUMNS = [
  'percentile_Average_0',
  'percentile_Average_1',
  'percentile_Average_25',
  'percentile_Average_50',
  'percentile_Average_75',
  'percentile_Average_99',
  'percentile_Average_100',
] as const;
/** The quantiles (0..1) of the duration percentile columns. */
export const DURATION_QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.99, 1] as const;
const DURATION_COLUMNS = [
  ...KEY_COLUMNS,
  'Average',
  'Count',
  'Minimum',
  'Maximum',
  ...DURATION_PERCENTILE_COLUMNS,
];
export const MEMORY_PERCENTILE_COLUMNS = [
  'AverageAllocatedMb_pct1',
  'AverageAllocatedMb_pct5',
  'AverageAllocatedMb_pct25',
  'AverageAllocatedMb_pct50',
  'AverageAllocatedMb_pct75',
  'AverageAllocatedMb_pct95',
  'AverageAllocatedMb_pct99',
  'AverageAllocatedMb_pct100',
] as const;
export const MEMORY_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1] as const;
const MEMORY_COLUMNS = [...KEY_COLUMNS, 'SampleCount', 'AverageAllocatedMb', ...MEMORY_PERCENTILE_COLUMNS];

export interface FunctionId {
  hashOwner: string;
  hashApp: string;
  hashFunction: string;
}

/** `owner/app/function`: the key that joins the three files. */
export function functionKey(id: FunctionId): string {
  return `${id.hashOwner}/${id.hashApp}/${id.hashFunction}`;
}

export interface InvocationsRow extends FunctionId {
  trigger: string;
  /** Invocations in minute 1, 2, … of the trace. */
  perMinute: number[];
}

export interface DurationsRow extends FunctionId {
  averageMs: number;
  /** Values at DURATION_QUANTILES, ms. */
  percentilesMs: number[];
}

export interface MemoryRow extends FunctionId {
  averageMb: number;
  /** Values at MEMORY_QUANTILES, MB. */
  percentilesMb: number[];
}

function header(rows: CsvRow[], file: string): string[] {
  const first = rows[0];
  if (!first) throw new UserError(`${file}: the file is empty; expected a header line`);
  return first.cells.map((c) => c.trim());
}

/** Indices of `expected` columns in the header, or a message naming the missing one. */
function columnIndices(head: string[], expected: readonly string[], file: string): number[] {
  return expected.map((name) => {
    const index = head.indexOf(name);
    if (index < 0)
      throw csvError(
        file,
        1,
        head.length + 1,
        undefined,
        `missing column "${name}"; expected header ${expected.join(',')}`,
      );
    return index;
  });
}

function checkWidth(row: CsvRow, width: number, file: string): void {
  if (row.cells.length !== width)
    throw csvError(
      file,
      row.line,
      Math.min(row.cells.length, width) + 1,
      undefined,
      `expected ${width} columns like the header, found ${row.cells.length}`,
    );
}

function functionId(row: CsvRow, at: number[], head: string[], file: string): FunctionId {
  const [owner, app, fn] = at.map((i) => {
    const value = row.cells[i]?.trim() ?? '';
    if (value === '') throw csvError(file, row.line, i + 1, head[i], 'expected a non-empty hash');
    return value;
  });
  return { hashOwner: owner!, hashApp: app!, hashFunction: fn! };
}

/** `invocations.csv`: `HashOwner,HashApp,HashFunction,Trigger,1,2,…,N` (N ≤ 1440). */
export function parseInvocationsCsv(text: string, file = 'invocations.csv'): InvocationsRow[] {
  const rows = readCsv(text, file);
  const head = header(rows, file);
  const keyAt = columnIndices(head, [...KEY_COLUMNS, 'Trigger'], file);
  const minuteAt: number[] = [];
  for (let minute = 1; head.includes(String(minute)); minute++) minuteAt.push(head.indexOf(String(minute)));
  if (minuteAt.length === 0)
    throw csvError(file, 1, head.length + 1, undefined, 'missing the minute columns "1","2",…');
  return rows.slice(1).map((row) => {
    checkWidth(row, head.length, file);
    return {
      ...functionId(row, keyAt.slice(0, 3), head, file),
      trigger: row.cells[keyAt[3]!]?.trim() ?? '',
      perMinute: minuteAt.map((i) => numberCell(row, i, head, file, { integer: true })),
    };
  });
}

/** `durations.csv` (ms). Percentiles must not decrease. */
export function parseDurationsCsv(text: string, file = 'durations.csv'): DurationsRow[] {
  const rows = readCsv(text, file);
  const head = header(rows, file);
  const at = columnIndices(head, DURATION_COLUMNS, file);
  return rows.slice(1).map((row) => {
    checkWidth(row, head.length, file);
    const pAt = at.slice(7);
    const percentilesMs = pAt.map((i) => numberCell(row, i, head, file));
    checkAscending(row, pAt, percentilesMs, head, file);
    return {
      ...functionId(row, at.slice(0, 3), head, file),
      averageMs: numberCell(row, at[3]!, head, file),
      percentilesMs,
    };
  });
}

/** `memory.csv` (MB). Percentiles must not decrease. */
export function parseMemoryCsv(text: string, file = 'memory.csv'): MemoryRow[] {
  const rows = readCsv(text, file);
  const head = header(rows, file);
  const at = columnIndices(head, MEMORY_COLUMNS, file);
  return rows.slice(1).map((row) => {
    checkWidth(row, head.length, file);
    const pAt = at.slice(5);
    const percentilesMb = pAt.map((i) => numberCell(row, i, head, file));
    checkAscending(row, pAt, percentilesMb, head, file);
    return {
      ...functionId(row, at.slice(0, 3), head, file),
      averageMb: numberCell(row, at[4]!, head, file),
      percentilesMb,
    };
  });
}

function checkAscending(row: CsvRow, at: number[], values: number[], head: string[], file: string): void {
  for (let i = 1; i < values.length; i++) {
    if (values[i]! < values[i - 1]!)
      throw csvError(
        file,
        row.line,
        at[i]! + 1,
        head[at[i]!],
        `percentiles must not decrease: ${values[i]} < ${values[i - 1]} (${head[at[i - 1]!]})`,
      );
  }
}
