import { describe, expect, it } from 'vitest';
import { parseDurationsCsv, parseInvocationsCsv, parseMemoryCsv } from './azure-trace.js';
import { readCsv } from './csv-table.js';
import { interpolatePercentile } from './percentile-sampler.js';

const INV_HEAD = 'HashOwner,HashApp,HashFunction,Trigger,1,2,3';
const DUR_HEAD =
  'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100';
const MEM_HEAD =
  'HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100';

describe('Azure trace CSVs: good input', () => {
  it('parses invocations with minute columns, CRLF and quotes', () => {
    const rows = parseInvocationsCsv(
      `${INV_HEAD}\r\no1,a1,f1,http,3,0,12\r\n"o2",a2,f2,"timer, queue",1,1,1\r\n`,
    );
    expect(rows).toEqual([
      { hashOwner: 'o1', hashApp: 'a1', hashFunction: 'f1', trigger: 'http', perMinute: [3, 0, 12] },
      { hashOwner: 'o2', hashApp: 'a2', hashFunction: 'f2', trigger: 'timer, queue', perMinute: [1, 1, 1] },
    ]);
  });

  it('parses durations and memory percentiles in quantile order', () => {
    const [d] = parseDurationsCsv(`${DUR_HEAD}\no,a,f,100,50,1,900,1,2,50,100,150,800,900\n`);
    expect(d).toMatchObject({
      hashFunction: 'f',
      averageMs: 100,
      percentilesMs: [1, 2, 50, 100, 150, 800, 900],
    });
    const [m] = parseMemoryCsv(`${MEM_HEAD}\no,a,f,10,128,100,110,120,128,130,140,150,160\n`);
    expect(m).toMatchObject({ averageMb: 128, percentilesMb: [100, 110, 120, 128, 130, 140, 150, 160] });
  });

  it('interpolates between percentiles', () => {
    const q = [0, 0.25, 0.5, 1];
    const v = [0, 10, 20, 100];
    expect(interpolatePercentile(q, v, 0)).toBe(0);
    expect(interpolatePercentile(q, v, 0.125)).toBe(5);
    expect(interpolatePercentile(q, v, 0.75)).toBe(60);
    expect(interpolatePercentile([0.01, 1], [7, 9], 0.001)).toBe(7);
  });
});

describe('Azure trace CSVs: bad input names file, line and column', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['empty file', () => parseInvocationsCsv(''), /^invocations\.csv: the file is empty/],
    [
      'missing key column',
      () => parseInvocationsCsv('HashOwner,HashApp,Trigger,1\no,a,http,1\n'),
      /^invocations\.csv:1:\d+: missing column "HashFunction"/,
    ],
    [
      'no minute columns',
      () => parseInvocationsCsv('HashOwner,HashApp,HashFunction,Trigger\n'),
      /missing the minute columns/,
    ],
    [
      'non-integer count',
      () => parseInvocationsCsv(`${INV_HEAD}\no,a,f,http,1,2.5,3\n`),
      /^invocations\.csv:2:6 \(column "2"\): expected a non-negative integer, got "2\.5"/,
    ],
    [
      'negative count',
      () => parseInvocationsCsv(`${INV_HEAD}\no,a,f,http,1,2,3\no,a,g,http,-1,2,3\n`),
      /^invocations\.csv:3:5 \(column "1"\)/,
    ],
    [
      'short row',
      () => parseInvocationsCsv(`${INV_HEAD}\no,a,f,http,1\n`),
      /^invocations\.csv:2:6: expected 7 columns like the header, found 5/,
    ],
    [
      'empty hash',
      () => parseInvocationsCsv(`${INV_HEAD}\no,,f,http,1,1,1\n`),
      /^invocations\.csv:2:2 \(column "HashApp"\): expected a non-empty hash/,
    ],
    ['unterminated quote', () => readCsv('a,"b\n', 'x.csv'), /^x\.csv:1:2: unterminated double quote/],
    [
      'text duration',
      () => parseDurationsCsv(`${DUR_HEAD}\no,a,f,100,50,1,900,1,2,fast,100,150,800,900\n`, 'd.csv'),
      /^d\.csv:2:10 \(column "percentile_Average_25"\): expected a non-negative number, got "fast"/,
    ],
    [
      'decreasing percentiles',
      () => parseMemoryCsv(`${MEM_HEAD}\no,a,f,10,128,100,110,120,100,130,140,150,160\n`),
      /^memory\.csv:2:9 \(column "AverageAllocatedMb_pct50"\): percentiles must not decrease/,
    ],
    [
      'missing memory column',
      () => parseMemoryCsv('HashOwner,HashApp,HashFunction\n'),
      /^memory\.csv:1:4: missing column "SampleCount"/,
    ],
  ];
  it.each(cases)('%s', (_name, parse, message) => {
    expect(parse).toThrow(message);
  });
});
