/**
 * Go's `time.ParseDuration` (pure), the one duration grammar of hivelab's Go-compatible
 * inputs: Jaeger's `minDuration`/`maxDuration`, Knative's annotations, fault specs.
 * Decimal numbers, each with a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), one after
 * another: `100ms`, `1.5s`, `1h30m`, `500us`, or a bare `0`. No sign.
 */
const UNIT_US: Readonly<Record<string, number>> = {
  ns: 0.001,
  us: 1,
  µs: 1,
  μs: 1,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};
const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** The duration in microseconds (not rounded), or `undefined` when `text` is not one. */
export function parseGoDurationUs(text: string): number | undefined {
  let rest = text.trim();
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let totalUs = 0;
  while (rest.length > 0) {
    const part = PART.exec(rest);
    if (!part) return undefined;
    totalUs += Number(part[1]) * UNIT_US[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return totalUs;
}
