import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  empiricalCdf,
  groupedBarSpec,
  latencyCdfSpec,
  markdownTable,
  percentile,
  renderReport,
  timelineSpec,
  writePlot,
} from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CDF and percentiles', () => {
  it('gives the share at or below each value, ending at 1, without touching the input', () => {
    const samples = [3, 1, 2, 4];
    expect(empiricalCdf(samples)).toEqual([
      { valueMs: 1, fraction: 0.25 },
      { valueMs: 2, fraction: 0.5 },
      { valueMs: 3, fraction: 0.75 },
      { valueMs: 4, fraction: 1 },
    ]);
    expect(samples).toEqual([3, 1, 2, 4]);
    const many = empiricalCdf(
      Array.from({ length: 10_000 }, (_, i) => i),
      100,
    );
    expect(many.length).toBeLessThanOrEqual(101);
    expect(many.at(-1)).toEqual({ valueMs: 9999, fraction: 1 });
    expect(empiricalCdf([])).toEqual([]);
  });
  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('Markdown', () => {
  it('writes tables with escaped cells and rounded numbers', () => {
    expect(
      markdownTable(
        ['a', 'b'],
        [
          ['x|y', 1.23456],
          ['z', 1234.5],
        ],
      ),
    ).toBe('| a | b |\n| --- | --- |\n| x\\|y | 1.23 |\n| z | 1235 |');
    expect(renderReport('T', ['intro'], [{ title: 'S', blocks: ['p'] }])).toBe('# T\n\nintro\n\n## S\n\np\n');
  });
});

describe('plots rendered headless', () => {
  it('writes a CDF as SVG (with its axes and series) and as a PNG', async () => {
    const spec = latencyCdfSpec([
      { name: 'step 1', latenciesMs: [1, 2, 3, 50] },
      { name: 'step 2', latenciesMs: [2, 4, 8] },
    ]);
    const written = await writePlot(dir, 'cdf', spec);
    const svg = await readFile(written.svg, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('latency (ms)');
    expect(svg).toContain('step 2');
    const png = await readFile(written.png!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(500); // width at 2x
  });
  it('renders bars and a timeline', async () => {
    const bars = await writePlot(
      dir,
      'bars',
      groupedBarSpec(
        [
          { group: 'helloworld', category: 'cold', value: 60 },
          { group: 'helloworld', category: 'warm', value: 1 },
        ],
        'Cold vs warm',
        'p50 (ms)',
      ),
      { png: false },
    );
    expect(bars.png).toBeUndefined();
    expect(await readFile(bars.svg, 'utf8')).toContain('Cold vs warm');
    const timeline = await writePlot(
      dir,
      'timeline',
      timelineSpec(
        [
          { row: 'streaming', service: 'streaming', startMs: 0, endMs: 100 },
          { row: 'recog', service: 'recog', startMs: 10, endMs: 30 },
        ],
        'The 6-frame trace',
      ),
      { png: false },
    );
    expect(await readFile(timeline.svg, 'utf8')).toContain('02 recog');
  });
});
