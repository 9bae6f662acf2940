/** Formatting of durations, times and counts for display. Pure. */

/** `1.23s`, `45.6ms`, `789μs`. */
export function formatDurationUs(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const abs = Math.abs(us);
  if (abs >= 1_000_000) return `${trim(us / 1_000_000)}s`;
  if (abs >= 1000) return `${trim(us / 1000)}ms`;
  return `${Math.round(us)}μs`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Local date and time of an epoch-microsecond timestamp, to the millisecond. */
export function formatTimestampUs(us: number): string {
  const d = new Date(us / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** Parses `100ms`, `1.5s`, `250us`, `2m` or a bare number of microseconds; undefined when blank or bad. */
export function parseDurationUs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|μs|µs|ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const factor: Record<string, number> = { us: 1, μs: 1, µs: 1, ms: 1e3, s: 1e6, m: 6e7, h: 3.6e9 };
  return Math.round(value * (factor[m[2] ?? 'us'] ?? 1));
}

/** Parses a lookback such as `15m`, `1h`, `2d` into milliseconds. */
export function parseLookbackMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  const factor: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 };
  return Math.round(Number(m[1]) * factor[m[2]!]!);
}
