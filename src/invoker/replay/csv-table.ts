/**
 * A minimal RFC 4180 reader for the Azure trace files: comma-separated, optional double
 * quotes, CRLF or LF. Keeps line numbers so errors can name file, line and column.
 */
import { UserError } from '../../errors.js';

export interface CsvRow {
  /** 1-based line number in the file. */
  line: number;
  cells: string[];
}

/** Where a bad value is, for messages: `invocations.csv:3:7 (column "5")`. */
export function csvError(
  file: string,
  line: number,
  column: number,
  header: string | undefined,
  message: string,
): UserError {
  const where = `${file}:${line}:${column}${header ? ` (column "${header}")` : ''}`;
  return new UserError(`${where}: ${message}`);
}

/** Splits text into rows of cells; blank lines are skipped. */
export function readCsv(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    rows.push({ line: i + 1, cells: splitLine(raw, file, i + 1) });
  });
  return rows;
}

function splitLine(line: string, file: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw csvError(file, lineNumber, cells.length + 1, undefined, 'unterminated double quote');
  cells.push(cell);
  return cells;
}

/** Reads a non-negative finite number, or throws naming the cell. */
export function numberCell(
  row: CsvRow,
  index: number,
  header: readonly string[],
  file: string,
  options: { integer?: boolean } = {},
): number {
  const text = row.cells[index]?.trim() ?? '';
  const value = text === '' ? NaN : Number(text);
  const expected = options.integer ? 'a non-negative integer' : 'a non-negative number';
  if (!Number.isFinite(value) || value < 0 || (options.integer && !Number.isInteger(value)))
    throw csvError(
      file,
      row.line,
      index + 1,
      header[index],
      `expected ${expected}, got ${JSON.stringify(text)}`,
    );
  return value;
}
