/**
 * Self time and critical path computed in the browser, table-driven. Times in µs from 0.
 *
 *   sequential:      root |0====================100|
 *                    a      |10====40|
 *                    b                 |50=====90|
 *   concurrent:      root |0====================100|
 *                    a      |10==========70|
 *                    b         |20=====60|            (hidden under a: a ends later)
 *   overflowing:     root |0=========50|
 *                    a              |40=========80|   (clipped to 40..50)
 *   async producer:  root |0====================100|
 *                    p      |10==========================150| (PRODUCER: not blocking)
 *   zero-length:     root |0====================100|
 *                    z                             |100 (no time: taken once, the walk goes on)
 *                    a      |10====40|
 */
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../testing/make-span.js';
import { computeTraceTimes } from './critical-path.js';
import { buildTraceModel } from './trace-model.js';
import type { ZipkinSpan } from './zipkin-span.js';

function trace(
  rows: [name: string, parent: string | undefined, start: number, end: number, kind?: ZipkinSpan['kind']][],
): ZipkinSpan[] {
  const traceId = 'aaaaaaaaaaaaaaaa';
  const ids = new Map(rows.map(([name], i) => [name, (i + 1).toString(16).padStart(16, '0')]));
  return rows.map(([name, parent, start, end, kind]) =>
    makeSpan({
      traceId,
      id: ids.get(name)!,
      parentId: parent ? ids.get(parent) : undefined,
      name,
      timestamp: 1_000_000 + start,
      duration: end - start,
      kind,
    }),
  );
}

function times(spans: ZipkinSpan[]): { self: Record<string, number>; critical: Record<string, number> } {
  const model = buildTraceModel(spans);
  const t = computeTraceTimes(model);
  const self: Record<string, number> = {};
  const critical: Record<string, number> = {};
  for (const node of model.nodes) {
    self[node.name] = t.selfTimeUs[node.index]!;
    critical[node.name] = t.criticalUs[node.index]!;
  }
  return { self, critical };
}

describe('computeTraceTimes', () => {
  it.each([
    {
      name: 'sequential children',
      spans: trace([
        ['root', undefined, 0, 100],
        ['a', 'root', 10, 40],
        ['b', 'root', 50, 90],
      ]),
      self: { root: 30, a: 30, b: 40 },
      critical: { root: 30, a: 30, b: 40 },
    },
    {
      name: 'concurrent children: the last-finishing one is on the path',
      spans: trace([
        ['root', undefined, 0, 100],
        ['a', 'root', 10, 70],
        ['b', 'root', 20, 60],
      ]),
      self: { root: 40, a: 60, b: 40 },
      critical: { root: 40, a: 60, b: 0 },
    },
    {
      name: 'a child overflowing its parent is clipped to it',
      spans: trace([
        ['root', undefined, 0, 50],
        ['a', 'root', 40, 80],
      ]),
      self: { root: 40, a: 40 },
      critical: { root: 40, a: 10 },
    },
    {
      name: 'a PRODUCER child does not block its parent',
      spans: trace([
        ['root', undefined, 0, 100],
        ['p', 'root', 10, 150, 'PRODUCER'],
      ]),
      self: { root: 10, p: 140 },
      critical: { root: 100, p: 0 },
    },
  ])('$name', ({ spans, self, critical }) => {
    const t = times(spans);
    expect(t.self).toEqual(self);
    expect(t.critical).toEqual(critical);
  });

  it('takes a zero-length child once (the walk ends)', () => {
    const t = times(
      trace([
        ['root', undefined, 0, 100],
        ['a', 'root', 10, 40],
        ['z', 'root', 100, 100],
      ]),
    );
    expect(t.critical).toEqual({ root: 70, a: 30, z: 0 });
  });

  it('walks a 10 000-deep chain without overflowing the stack', () => {
    const rows: [string, string | undefined, number, number][] = [['s0', undefined, 0, 20_000]];
    for (let i = 1; i < 10_000; i++) rows.push([`s${i}`, `s${i - 1}`, i, 20_000 - i]);
    const t = times(trace(rows));
    expect(t.critical.s9999).toBe(2);
    expect(Object.values(t.critical).reduce((a, b) => a + b, 0)).toBe(20_000);
  });
});
