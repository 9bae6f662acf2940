/**
 * What every benchmark needs and none should write again:
 * - `benchFlags`: its command-line flags through `node:util` `parseArgs` (strict: an unknown
 *   flag or a stray argument fails with the flags there are), numbers checked, each flag
 *   named in camelCase and given in kebab-case (`appendSpans` is `--append-spans`);
 * - `latencyMs`: percentiles of a list of durations through HdrHistogram, as the invoker
 *   records latencies (µs, 3 significant digits).
 */
import { parseArgs } from 'node:util';
import { createLatencyHistogram } from '../../src/invoker/index.js';

export type FlagSpec =
  /** A number; positive unless `min` says otherwise, an integer when `integer`. */
  | { type: 'number'; default: number; integer?: boolean; min?: number }
  | { type: 'string'; default?: string }
  /** A comma-separated list, each item one of `choices` when given. */
  | { type: 'list'; default: readonly string[]; choices?: readonly string[] }
  | { type: 'boolean' };

type FlagValue<S extends FlagSpec> = S extends { type: 'number' }
  ? number
  : S extends { type: 'list' }
    ? string[]
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { default: string }
        ? string
        : string | undefined;

export type Flags<T extends Record<string, FlagSpec>> = { [K in keyof T]: FlagValue<T[K]> };

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function numberValue(flag: string, raw: string, spec: { integer?: boolean; min?: number }): number {
  const value = Number(raw);
  const min = spec.min ?? Number.MIN_VALUE;
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    (spec.integer && !Number.isInteger(value))
  ) {
    const what = spec.integer ? 'integer' : 'number';
    const bound =
      spec.min === undefined ? `a positive ${what}` : `${spec.integer ? 'an' : 'a'} ${what} >= ${spec.min}`;
    throw new Error(`--${flag}: expected ${bound}, got "${raw}"`);
  }
  return value;
}

function listValue(flag: string, raw: string, choices: readonly string[] | undefined): string[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const bad = choices === undefined ? [] : items.filter((item) => !choices.includes(item));
  if (items.length === 0 || bad.length > 0) {
    const form =
      choices === undefined ? 'a comma-separated list' : `a comma-separated list of ${choices.join(', ')}`;
    throw new Error(`--${flag}: expected ${form}, got "${raw}"`);
  }
  return items;
}

/** Parses `argv` (default: this process's arguments) by `spec`; throws naming the flag and its form. */
export function benchFlags<T extends Record<string, FlagSpec>>(
  spec: T,
  argv: readonly string[] = process.argv.slice(2),
): Flags<T> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, flag] of Object.entries(spec)) {
    options[kebab(name)] = { type: flag.type === 'boolean' ? 'boolean' : 'string' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    const known = Object.keys(options)
      .map((name) => `--${name}`)
      .join(', ');
    throw new Error(`${(error as Error).message}; flags: ${known}`, { cause: error });
  }
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec)) {
    const raw = values[kebab(name)];
    if (flag.type === 'boolean') out[name] = raw === true;
    else if (typeof raw !== 'string') out[name] = flag.type === 'list' ? [...flag.default] : flag.default;
    else if (flag.type === 'number') out[name] = numberValue(kebab(name), raw, flag);
    else if (flag.type === 'list') out[name] = listValue(kebab(name), raw, flag.choices);
    else out[name] = raw;
  }
  return out as Flags<T>;
}

export interface LatencyMs {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Percentiles of durations in ms (HdrHistogram at 1 µs resolution; zeros when empty). */
export function latencyMs(durationsMs: Iterable<number>): LatencyMs {
  const histogram = createLatencyHistogram();
  for (const ms of durationsMs) histogram.record(ms * 1000);
  const p = histogram.percentiles();
  return {
    count: p.count,
    p50Ms: p.p50 / 1000,
    p90Ms: p.p90 / 1000,
    p99Ms: p.p99 / 1000,
    p999Ms: p.p999 / 1000,
    maxMs: p.max / 1000,
    meanMs: p.mean / 1000,
  };
}
