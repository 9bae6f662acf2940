import { describe, expect, it } from 'vitest';
import { readSummaryHead } from '../summary/summary-head.js';
import { SummaryDecoder } from '../summary/trace-summarizer.js';
import { TypeAccumulator } from './type-accumulator.js';

describe('readSummaryHead', () => {
  const cases: [string, number[] | false][] = [
    ['[1430,0,0.5,10234,1,2,3,4,5,6]', [1430, 0, 0.5, 10234]],
    ['[1430,1,0.125,10234]', [1430, 1, 0.125, 10234]],
    ['[ 12 , 1 ,2.75, 3 ]', [12, 1, 2.75, 3]],
    ['[-5,0,0.001,0]', [-5, 0, 0.001, 0]],
    ['[7,0]', [7, 0, 0, 0]],
    ['[]', [0, 0, 0, 0]],
    ['[1e3,0,2.5e-7,12345678901234567890]', [1000, 0, 2.5e-7, 12345678901234567000]],
    ['[0.1,0.2,0.3,123456.789]', [0.1, 0.2, 0.3, 123456.789]],
    ['{"a":1}', false],
    ['[1,x,2,3]', false],
    ['[1,2', false],
  ];
  it.each(cases)('%s', (text, expected) => {
    const out = new Float64Array(4);
    const ok = readSummaryHead(text, out);
    if (expected === false) expect(ok).toBe(false);
    else {
      expect(ok).toBe(true);
      // The same numbers JSON.parse reads, bit for bit.
      expect([...out]).toEqual(expected);
    }
  });
});

const decoder = new SummaryDecoder();
const group = decoder.group(
  JSON.stringify({
    tree: 't',
    root: 'r',
    set: 's',
    ops: [
      ['gw', 'get', ''],
      ['gw', 'call', 'db'],
      ['db', 'query', ''],
    ],
  }),
);

/** Summary text of a trace (head, then per op `[crit, self, cpu, mem, errors, count]`) whose db:query takes `dbUs`. */
function data(i: number, dbUs: number): string {
  const head = [1000 + i, i % 10 === 0 ? 1 : 0, 0.5, 2000];
  return JSON.stringify([...head, 100, 50, 0, 0, 0, 1, 20, 20, 0, 0, 0, 1, dbUs, dbUs, 0.25, 4000, 0, 1]);
}

describe('TypeAccumulator', () => {
  it('keeps every head value and exact medians while the sample holds every trace', () => {
    const type = new TypeAccumulator('t', 100);
    for (let i = 0; i < 99; i++) type.add(`id${i}`, group, data(i, i));
    expect(type.count).toBe(99);
    expect(type.errors).toBe(10);
    expect(type.durationUs.sorted()[0]).toBe(1000);
    expect(type.durationUs.sorted()[98]).toBe(1098);
    const db = type.findOperation('db', 'query');
    expect(db).toMatchObject({ seen: 99, criticalPathUs: 49, selfTimeUs: 49, cpuMs: 0.25, peakMemKb: 4000 });
    expect(type.operations().map((o) => `${o.service}:${o.operation}`)).toEqual([
      'gw:get',
      'gw:call',
      'db:query',
    ]);
    expect(type.findOperation('db', 'nope')).toBeUndefined();
  });

  it('samples whole traces past its size: medians near the true ones, the same on every run', () => {
    const run = (): TypeAccumulator => {
      const type = new TypeAccumulator('t', 500);
      // db:query's critical path is uniform over 0..9999: the median is near 5000.
      for (let i = 0; i < 20_000; i++) type.add(`id${i}`, group, data(i, (i * 7919) % 10_000));
      return type;
    };
    const a = run();
    const db = a.findOperation('db', 'query')!;
    expect(db.seen).toBe(500);
    expect(Math.abs(db.criticalPathUs - 5000)).toBeLessThan(800);
    expect(a.count).toBe(20_000);
    expect(run().findOperation('db', 'query')).toEqual(db);
  });

  it('reads a summary whose head is not plain numbers through JSON.parse', () => {
    const type = new TypeAccumulator('t');
    type.add('x', group, '[1e3, 0, 1.5e0, 7, 100,50,0,0,0,1, 20,20,0,0,0,1, 30,30,0,0,0,1]');
    expect([...type.durationUs.values()]).toEqual([1000]);
    expect(type.findOperation('db', 'query')?.criticalPathUs).toBe(30);
  });
});
