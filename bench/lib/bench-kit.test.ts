import { describe, expect, it } from 'vitest';
import { benchFlags, latencyMs } from './bench-kit.js';

const SPEC = {
  runs: { type: 'number', default: 20, integer: true },
  warmup: { type: 'number', default: 0.5, min: 0 },
  appendSpans: { type: 'number', default: 1000 },
  functions: { type: 'list', default: ['hello'], choices: ['hello', 'heavy'] },
  dir: { type: 'string' },
  traceGc: { type: 'boolean' },
} as const;

describe('benchFlags', () => {
  it('gives the defaults, and parses kebab-case flags into their camelCase names', () => {
    expect(benchFlags(SPEC, [])).toEqual({
      runs: 20,
      warmup: 0.5,
      appendSpans: 1000,
      functions: ['hello'],
      dir: undefined,
      traceGc: false,
    });
    expect(
      benchFlags(SPEC, [
        '--runs',
        '5',
        '--warmup=0',
        '--append-spans',
        '2.5',
        '--functions',
        'heavy,hello',
        '--dir',
        '/tmp/x',
        '--trace-gc',
      ]),
    ).toEqual({
      runs: 5,
      warmup: 0,
      appendSpans: 2.5,
      functions: ['heavy', 'hello'],
      dir: '/tmp/x',
      traceGc: true,
    });
  });

  it.each([
    [['--runs', '2.5'], '--runs: expected a positive integer, got "2.5"'],
    [['--runs', '0'], '--runs: expected a positive integer, got "0"'],
    [['--warmup=-1'], '--warmup: expected a number >= 0, got "-1"'],
    [['--append-spans', 'many'], '--append-spans: expected a positive number, got "many"'],
    [
      ['--functions', 'hello,cold'],
      '--functions: expected a comma-separated list of hello, heavy, got "hello,cold"',
    ],
    [['--rnus', '5'], "Unknown option '--rnus'"],
    [['stray'], 'stray'],
  ])('%j fails naming the flag and its form', (argv, message) => {
    expect(() => benchFlags(SPEC, argv)).toThrow(message);
  });

  it('lists the flags there are when one is unknown', () => {
    expect(() => benchFlags(SPEC, ['--nope'])).toThrow(
      /flags: --runs, --warmup, --append-spans, --functions, --dir, --trace-gc/,
    );
  });
});

describe('latencyMs', () => {
  it('gives percentiles in ms at 3 significant digits (HdrHistogram), never above the max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i + 1) / 10); // 0.1 … 100 ms
    const l = latencyMs(values);
    expect(l.count).toBe(1000);
    expect(l.p50Ms).toBeCloseTo(50, 1);
    expect(l.p90Ms).toBeCloseTo(90, 1);
    expect(l.p99Ms).toBeCloseTo(99, 1);
    expect(l.maxMs).toBeCloseTo(100, 1);
    expect(l.meanMs).toBeCloseTo(50.05, 1);
    expect(latencyMs([7]).p99Ms).toBeCloseTo(7, 2);
  });

  it('is all zeros without values', () => {
    expect(latencyMs([])).toEqual({ count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, meanMs: 0 });
  });
});
