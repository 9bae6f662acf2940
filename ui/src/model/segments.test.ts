/**
 * Segments inside a bar:
 *
 *   gateway SERVER |0=========================100ms|
 *     stage:queue   |0==10|   stage:proxy |10=====100|     (annotations)
 *     cold start    spawn 1 | runtime init 3 | code load 2 | function init 1 | ready 0.5
 *                   (tags are offsets from the launch: 1, 4, 6, 7, ready 7.5 ms)
 *   sidecar child   sidecar.stage=upstream |20===60|
 */
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../testing/make-span.js';
import { spanSegments } from './segments.js';
import { buildTraceModel } from './trace-model.js';

describe('spanSegments', () => {
  it('lays cold-start phases one after another, stages until the next, sidecar children as they are', () => {
    const traceId = 'cccccccccccccccc';
    const root = makeSpan({
      traceId,
      id: '0000000000000001',
      timestamp: 1_000_000,
      duration: 100_000,
      annotations: [
        { timestamp: 1_000_000, value: 'stage:queue' },
        { timestamp: 1_010_000, value: 'stage:proxy' },
      ],
      tags: {
        'coldstart.spawn_ms': '1',
        'coldstart.runtime_init_ms': '4',
        'coldstart.code_load_ms': '6',
        'coldstart.function_init_ms': '7',
        'coldstart.ready_ms': '7.5',
      },
    });
    const side = makeSpan({
      traceId,
      id: '0000000000000002',
      parentId: root.id,
      timestamp: 1_020_000,
      duration: 40_000,
      tags: { 'sidecar.stage': 'upstream' },
    });
    const model = buildTraceModel([root, side]);
    const segments = spanSegments(model, model.order[0]!).map((s) => [
      s.kind,
      s.label,
      s.startUs - 1_000_000,
      s.durationUs,
    ]);
    expect(segments).toEqual([
      ['coldstart', 'cold start: spawn', 0, 1000],
      ['coldstart', 'cold start: runtime init', 1000, 3000],
      ['coldstart', 'cold start: code load', 4000, 2000],
      ['coldstart', 'cold start: function init', 6000, 1000],
      ['coldstart', 'cold start: ready', 7000, 500],
      ['stage', 'queue', 0, 10_000],
      ['stage', 'proxy', 10_000, 90_000],
      ['sidecar', 'upstream', 20_000, 40_000],
    ]);
  });

  it("names the wait after the sandbox was ready for the spec's readinessProbe", () => {
    const span = makeSpan({
      id: '000000000000000a',
      timestamp: 5_000,
      duration: 900_000,
      tags: { 'coldstart.spawn_ms': '2', 'coldstart.sandbox_ready_ms': '30', 'coldstart.ready_ms': '830' },
    });
    const model = buildTraceModel([span]);
    expect(spanSegments(model, 0).map((s) => [s.label, s.startUs - 5_000, s.durationUs])).toEqual([
      ['cold start: spawn', 0, 2000],
      ['cold start: sandbox ready', 2000, 28_000],
      ['cold start: readiness probe', 30_000, 800_000],
    ]);
  });

  it('draws ready alone when no phase was measured', () => {
    const span = makeSpan({
      id: '0000000000000009',
      timestamp: 5_000,
      duration: 9_000,
      tags: { 'coldstart.ready_ms': '4' },
    });
    const model = buildTraceModel([span]);
    expect(spanSegments(model, 0).map((s) => [s.label, s.durationUs])).toEqual([['cold start: ready', 4000]]);
  });
});
