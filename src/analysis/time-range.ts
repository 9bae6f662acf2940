/**
 * Times and durations as the analysis commands and routes take them (pure): instants in
 * RFC 3339 or epoch milliseconds, durations such as `1h`, `15m`, `30s`, `500ms`, `250us`,
 * ranges `START..END`. Errors are `UserError`s naming the flag or parameter.
 */
import { UserError } from '../errors.js';

/** A time range [startUs, endUs) in epoch µs. */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

const UNIT_US: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};
const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)$/;

/** A duration in µs: `1h`, `15m`, `30s`, `500ms`, `250us`, `2d`, or `0`. */
export function parseDurationUs(raw: string, name: string): number {
  const text = raw.trim();
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (match === null) {
    throw new UserError(`invalid ${name} "${raw}": expected a duration such as 1h, 15m, 30s, 500ms or 0`);
  }
  return Math.round(Number(match[1]) * (UNIT_US[match[2] as string] as number));
}

/** An instant in epoch µs from RFC 3339 (`2026-01-01T10:00:00Z`) or epoch milliseconds. */
export function parseInstantUs(raw: string, name: string): number {
  const text = raw.trim();
  if (/^\d{1,15}$/.test(text)) return Number(text) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) {
      // Date.parse keeps milliseconds only; keep the microseconds an RFC 3339 time may carry.
      const micros = /\.\d{3}(\d{1,3})/.exec(text)?.[1];
      return ms * 1000 + (micros === undefined ? 0 : Number(micros.padEnd(3, '0')));
    }
  }
  throw new UserError(
    `invalid ${name} "${raw}": expected an RFC 3339 time (2026-01-01T10:00:00Z) or epoch milliseconds`,
  );
}

/** `START..END` (each RFC 3339 or epoch ms). */
export function parseRangeUs(raw: string, name: string): TimeWindow {
  const parts = raw.split('..');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new UserError(`invalid ${name} "${raw}": expected START..END (RFC 3339 or epoch milliseconds)`);
  }
  const startUs = parseInstantUs(parts[0] as string, name);
  const endUs = parseInstantUs(parts[1] as string, name);
  if (endUs <= startUs) throw new UserError(`invalid ${name} "${raw}": END must be after START`);
  return { startUs, endUs };
}

/**
 * The window of `--start/--end/--lookback`: `[start, end)`, end defaulting to now and start
 * to end − lookback; `undefined` when none is given and `defaultLookbackUs` is undefined.
 */
export function resolveWindow(
  flags: { start?: string; end?: string; lookback?: string },
  nowUs: number,
  defaultLookbackUs: number | undefined,
  /** How the names are spelled in messages: `--` for flags, `` for query parameters. */
  prefix = '--',
): TimeWindow | undefined {
  if (flags.start === undefined && flags.end === undefined && flags.lookback === undefined) {
    if (defaultLookbackUs === undefined) return undefined;
    return { startUs: nowUs - defaultLookbackUs, endUs: nowUs + 1 };
  }
  if (flags.start !== undefined && flags.lookback !== undefined) {
    throw new UserError(`give ${prefix}start or ${prefix}lookback, not both`);
  }
  const endUs = flags.end !== undefined ? parseInstantUs(flags.end, `${prefix}end`) : nowUs + 1;
  const startUs =
    flags.start !== undefined
      ? parseInstantUs(flags.start, `${prefix}start`)
      : endUs - parseDurationUs(flags.lookback ?? '1h', `${prefix}lookback`);
  if (endUs <= startUs) throw new UserError(`${prefix}end must be after ${prefix}start`);
  return { startUs, endUs };
}
