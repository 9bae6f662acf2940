/**
 * CSV in and out for offline policy comparison: a load profile as `time_ms,concurrency[,rps]`
 * lines, and the simulated series of several policies side by side, ready for a plot.
 */
import { UserError } from '../../errors.js';
import type { LoadPoint } from './load-profile.js';
import type { SimulationResult } from './simulate.js';

const COLUMNS = ['time_ms', 'concurrency', 'rps'] as const;

function cell(raw: string | undefined, file: string, line: number, column: number): number {
  const text = (raw ?? '').trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0) {
    throw new UserError(
      `${file}:${line}:${column}: ${COLUMNS[column - 1]} must be a number >= 0, got "${text}"`,
      'Expected lines of time_ms,concurrency[,rps], sorted by time_ms; a header line is optional.',
    );
  }
  return value;
}

/**
 * Parses a load profile: one `time_ms,concurrency[,rps]` line per change of load. A header line,
 * blank lines and `#` comments are skipped.
 * @throws UserError naming the file, line and column of the first bad value.
 */
export function parseLoadProfileCsv(text: string, file = 'load.csv'): LoadPoint[] {
  const points: LoadPoint[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const cells = trimmed.split(',');
    if (points.length === 0 && /^[a-z_]/i.test(cells[0]!.trim())) return; // the header
    if (cells.length < 2 || cells.length > 3) {
      throw new UserError(
        `${file}:${line}: expected 2 or 3 columns (time_ms,concurrency[,rps]), got ${cells.length}`,
      );
    }
    const timeMs = cell(cells[0], file, line, 1);
    const previous = points.at(-1);
    if (previous !== undefined && timeMs < previous.timeMs) {
      throw new UserError(
        `${file}:${line}:1: time_ms ${timeMs} goes back in time; sort the lines by time_ms`,
      );
    }
    const point: LoadPoint = { timeMs, concurrency: cell(cells[1], file, line, 2) };
    if (cells.length === 3) point.rps = cell(cells[2], file, line, 3);
    points.push(point);
  });
  if (points.length === 0) throw new UserError(`${file}: no data lines; expected time_ms,concurrency[,rps]`);
  return points;
}

/**
 * One CSV of several simulations of the same load profile and options:
 * `time_ms,concurrency,<policy>_desired,<policy>_ready,…`.
 */
export function formatSimulationCsv(results: readonly SimulationResult[]): string {
  const first = results[0];
  if (first === undefined) return '';
  for (const r of results) {
    const aligned =
      r.steps.length === first.steps.length && r.steps.every((s, i) => s.timeMs === first.steps[i]!.timeMs);
    if (!aligned)
      throw new UserError(
        `simulation of ${r.policy} has other sample times; run all with the same load profile and options`,
      );
  }
  const header = [
    'time_ms',
    'concurrency',
    ...results.flatMap((r) => [`${r.policy}_desired`, `${r.policy}_ready`]),
  ];
  const rows = first.steps.map((s, i) =>
    [s.timeMs, s.concurrency, ...results.flatMap((r) => [r.steps[i]!.desired, r.steps[i]!.ready])].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
