import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../trace/analyze-trace.js';
import { traceReport } from '../trace/trace-report.js';
import { T0_US, traceOf } from '../testing/make-span.js';
import { svgToPng } from './svg-to-png.js';
import { coldStartSegments, renderTimelineSvg } from './timeline-svg.js';

/**
 *   gw:get (SERVER) 0..1000
 *   ├ gw:activator 0..400       coldstart.spawn_ms 0.1, ready_ms 0.3 (cumulative)
 *   └ fn:handle 400..1000       annotations stage:parse @450, stage:upstream @600
 *     └ fn:sidecar 700..800     sidecar.stage=write (drawn inside fn:handle's bar)
 */
const spans = traceOf([
  ['1', '', 'gw', 'get', 0, 1000, { kind: 'SERVER' }],
  [
    '2',
    '1',
    'gw',
    'activator',
    0,
    400,
    { tags: { 'coldstart.spawn_ms': '0.1', 'coldstart.ready_ms': '0.3' } },
  ],
  [
    '3',
    '1',
    'fn',
    'handle',
    400,
    600,
    {
      annotations: [
        { timestamp: T0_US + 450, value: 'stage:parse' },
        { timestamp: T0_US + 600, value: 'stage:upstream' },
      ],
    },
  ],
  ['4', '3', 'fn', 'sidecar', 700, 100, { tags: { 'sidecar.stage': 'write' } }],
]);

describe('timeline', () => {
  const report = traceReport(analyzeTrace(spans)!);

  it('draws a row per span (stage spans inside their parent), phases, stages and the path', () => {
    const svg = renderTimelineSvg(report);
    expect(svg.match(/<text x="6"/g)?.length).toBe(3);
    for (const name of ['spawn', 'ready', 'parse', 'upstream', 'write', 'critical path'])
      expect(svg).toContain(`>${name}<`);
    expect(svg).toContain('fill="#c1121f"');
    expect(coldStartSegments(report.spans[1]!).map((s) => [s.name, s.endUs - s.startUs])).toEqual([
      ['spawn', 100],
      ['ready', 200],
    ]);
  });

  it('rasterises to PNG with resvg; 2 000 spans make 12 px rows', () => {
    const png = svgToPng(renderTimelineSvg(report));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const rows = Array.from({ length: 2000 }, (_, i): Parameters<typeof traceOf>[0][number] => [
      (i + 2).toString(16),
      '1',
      `svc${i % 7}`,
      `op${i}`,
      i * 10,
      15,
    ]);
    const big = traceReport(analyzeTrace(traceOf([['1', '', 'root', 'get', 0, 20_100], ...rows]))!);
    const svg = renderTimelineSvg(big);
    expect(svg).toContain('height="24096"');
    expect(svg.match(/<text x="6"/g)?.length).toBe(2001);
  });
});
