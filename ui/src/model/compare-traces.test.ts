/**
 * Two traces of one type:
 *
 *   A: front ─ search ─ geo            B: front ─ search ─ geo
 *               └ rate (10 ms)                    ├ rate (30 ms)
 *                                                 └ rate (30 ms)   (count changed)
 */
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../testing/make-span.js';
import { compareTraces } from './compare-traces.js';
import { buildTraceModel } from './trace-model.js';

function t(rates: number[], rateUs: number, geoUs = 5_000) {
  const traceId = `${rates.length}${rateUs}`.padStart(16, 'd');
  const front = makeSpan({
    traceId,
    id: 'f000000000000001',
    name: 'front',
    localEndpoint: { serviceName: 'front' },
    timestamp: 0,
    duration: 100_000,
  });
  const search = makeSpan({
    traceId,
    id: 'f000000000000002',
    parentId: front.id,
    name: 'search',
    localEndpoint: { serviceName: 'search' },
    timestamp: 1,
    duration: 90_000,
  });
  const geo = makeSpan({
    traceId,
    id: 'f000000000000003',
    parentId: search.id,
    name: 'geo',
    localEndpoint: { serviceName: 'geo' },
    timestamp: 2,
    duration: geoUs,
  });
  const rateSpans = rates.map((_, i) =>
    makeSpan({
      traceId,
      id: `f00000000000001${i}`,
      parentId: search.id,
      name: 'rate',
      localEndpoint: { serviceName: 'rate' },
      timestamp: 10 + i,
      duration: rateUs,
    }),
  );
  return buildTraceModel([front, search, geo, ...rateSpans]);
}

describe('compareTraces', () => {
  it('marks count changes, slower and faster nodes; small changes stay the same', () => {
    const rows = compareTraces(t([1], 10_000, 5_000), t([1, 2], 30_000, 5_050));
    expect(rows.map((r) => [r.label, r.change])).toEqual([
      ['front:front', 'same'],
      ['search:search', 'same'],
      ['geo:geo', 'same'],
      ['rate:rate', 'count'],
    ]);
    const slower = compareTraces(t([1], 10_000), t([1], 30_000)).find((r) => r.label === 'rate:rate')!;
    expect(slower).toMatchObject({
      change: 'slower',
      a: { count: 1, totalUs: 10_000 },
      b: { count: 1, totalUs: 30_000 },
    });
    expect(compareTraces(t([1], 30_000), t([1], 10_000)).find((r) => r.label === 'rate:rate')!.change).toBe(
      'faster',
    );
    expect(compareTraces(t([1], 10_000), t([], 10_000)).find((r) => r.label === 'rate:rate')!.change).toBe(
      'removed',
    );
  });
});
