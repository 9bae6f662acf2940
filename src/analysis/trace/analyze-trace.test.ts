import { describe, expect, it } from 'vitest';
import { traceOf, type SpanRow } from '../testing/make-span.js';
import { analyzeTrace, type AnalyzeOptions } from './analyze-trace.js';

interface Case {
  name: string;
  drawing: string;
  rows: SpanRow[];
  options?: AnalyzeOptions;
  /** span id → [self time µs, critical-path µs] */
  expected: Record<string, [number, number]>;
  /** The critical path as `id start-end` (µs offsets), in time order. */
  path?: string[];
}

const CASES: Case[] = [
  {
    name: 'concurrent children: the last to finish is on the path, the other not',
    drawing: `
      0         100
      a ==========          a: 100
        b ====              b: 10..50
          c ======          c: 20..80
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 100],
      ['b', 'a', 'be', 'x', 10, 40],
      ['c', 'a', 'be', 'y', 20, 60],
    ],
    // b ends after c starts, so walking back from c finds no child before it: a's own time.
    expected: { a: [30, 40], b: [40, 0], c: [60, 60] },
    path: ['a 0-20', 'c 20-80', 'a 80-100'],
  },
  {
    name: 'a child overflowing its parent is clipped; one wholly outside is dropped',
    drawing: `
      0         100
      a ==========
              b =======     b: 80..150 (clipped to 80..100)
                      c ==  c: 120..140 (outside: dropped)
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 100],
      ['b', 'a', 'fe', 'x', 80, 70],
      ['c', 'a', 'fe', 'y', 120, 20],
    ],
    expected: { a: [80, 80], b: [70, 20], c: [20, 0] },
    path: ['a 0-80', 'b 80-100'],
  },
  {
    name: 'clock skew: a child on another host is shifted into its parent',
    drawing: `
      0         100
      a ==========            a: host 10.0.0.1
                   b ====     b: host 10.0.0.2, 150..190, shifted to 30..70
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 100, { localEndpoint: { serviceName: 'fe', ipv4: '10.0.0.1' } }],
      ['b', 'a', 'be', 'x', 150, 40, { localEndpoint: { serviceName: 'be', ipv4: '10.0.0.2' } }],
    ],
    expected: { a: [60, 60], b: [40, 40] },
    path: ['a 0-30', 'b 30-70', 'a 70-100'],
  },
  {
    name: 'clock skew beyond the cap (or disabled) is left alone',
    drawing: `
      a ==========
                   b ====     b: 150..190, not moved with --max-clock-skew 0
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 100, { localEndpoint: { serviceName: 'fe', ipv4: '10.0.0.1' } }],
      ['b', 'a', 'be', 'x', 150, 40, { localEndpoint: { serviceName: 'be', ipv4: '10.0.0.2' } }],
    ],
    options: { maxClockSkewUs: 0 },
    expected: { a: [100, 100], b: [40, 0] },
  },
  {
    name: 'async: PRODUCER and FOLLOWS_FROM subtrees do not block their parent',
    drawing: `
      0         100
      a ==========
        p ==                 p: PRODUCER 10..30
          k ==========       k: CONSUMER under p, 40..140
        f ======             f: FOLLOWS_FROM a, 20..80
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 100],
      ['p', 'a', 'fe', 'send', 10, 20, { kind: 'PRODUCER' }],
      ['k', 'p', 'worker', 'recv', 40, 100, { kind: 'CONSUMER' }],
      ['f', 'a', 'fe', 'later', 20, 60, { tags: { 'jaeger.ref_type': 'FOLLOWS_FROM' } }],
    ],
    expected: { a: [100, 100], p: [20, 0], k: [100, 0], f: [60, 0] },
    path: ['a 0-100'],
  },
  {
    name: 'sequential siblings overlapping by <= 1 % keep their full durations',
    drawing: `
      0                     1000
      a ======================
        b ========             b: 100..505
                c ========     c: 500..900 (overlaps b by 5 = 0.5 % of a)
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 1000],
      ['b', 'a', 'be', 'x', 100, 405],
      ['c', 'a', 'be', 'y', 500, 400],
    ],
    expected: { a: [195, 195], b: [405, 405], c: [400, 400] },
    path: ['a 0-100', 'b 100-505', 'c 500-900', 'a 900-1000'],
  },
  {
    name: 'siblings overlapping by more than 1 % are concurrent',
    drawing: `
      a ======================      a: 0..1000
        b ==========                b: 100..600
                c ========          c: 500..900 (overlap 100 = 10 %)
    `,
    rows: [
      ['a', '', 'fe', 'get', 0, 1000],
      ['b', 'a', 'be', 'x', 100, 500],
      ['c', 'a', 'be', 'y', 500, 400],
    ],
    expected: { a: [200, 600], b: [500, 0], c: [400, 400] },
    path: ['a 0-500', 'c 500-900', 'a 900-1000'],
  },
];

describe('analyzeTrace: self time and critical path', () => {
  it.each(CASES)('$name', ({ rows, options, expected, path }) => {
    const analysis = analyzeTrace(traceOf(rows), options);
    expect(analysis).toBeDefined();
    const got: Record<string, [number, number]> = {};
    for (const t of analysis!.timings) {
      got[t.node.span.id.replace(/^0+/, '')] = [Math.round(t.selfTimeUs), Math.round(t.criticalPathUs)];
    }
    expect(got).toEqual(expected);
    if (path !== undefined) {
      const t0 = analysis!.tree.root.startUs;
      expect(
        analysis!.criticalPath.map((p) => `${p.spanId.replace(/^0+/, '')} ${p.startUs - t0}-${p.endUs - t0}`),
      ).toEqual(path);
    }
  });

  it('totals per service:operation and marks spans on the path', () => {
    const analysis = analyzeTrace(traceOf(CASES[0]!.rows))!;
    expect(analysis.byOperation).toEqual([
      { service: 'fe', operation: 'get', criticalPathUs: 40, selfTimeUs: 30, count: 1 },
      { service: 'be', operation: 'x', criticalPathUs: 0, selfTimeUs: 40, count: 1 },
      { service: 'be', operation: 'y', criticalPathUs: 60, selfTimeUs: 60, count: 1 },
    ]);
    expect(analysis.timings.map((t) => t.onCriticalPath)).toEqual([true, false, true]);
    expect(analysis.durationUs).toBe(100);
  });

  it('an empty trace gives undefined; a trace without its root hangs orphans under the earliest', () => {
    expect(analyzeTrace([])).toBeUndefined();
    const orphans = analyzeTrace(
      traceOf([
        ['b', 'gone', 'be', 'x', 10, 40],
        ['c', 'gone', 'be', 'y', 0, 100],
      ]),
    )!;
    expect(orphans.tree.root.span.id).toBe('000000000000000c');
    expect(orphans.tree.root.children.map((n) => n.span.id)).toEqual(['000000000000000b']);
  });
});
