/**
 * The tree the timeline draws:
 *
 *   root            (0)
 *   ├── a           (10)
 *   │   └── a1      (12)
 *   └── b           (30)
 *   orphan          (5)   parent not in the trace: a root of its own
 *   client/server twin: a shared SERVER span with the CLIENT's id hangs under the CLIENT
 */
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../testing/make-span.js';
import { ancestors, buildTraceModel, visibleRows } from './trace-model.js';

const traceId = 'bbbbbbbbbbbbbbbb';
const spans = [
  makeSpan({ traceId, id: '0000000000000001', name: 'root', timestamp: 1000, duration: 100 }),
  makeSpan({
    traceId,
    id: '0000000000000003',
    parentId: '0000000000000001',
    name: 'b',
    timestamp: 1030,
    duration: 10,
  }),
  makeSpan({
    traceId,
    id: '0000000000000002',
    parentId: '0000000000000001',
    name: 'a',
    timestamp: 1010,
    duration: 10,
    kind: 'CLIENT',
  }),
  makeSpan({
    traceId,
    id: '0000000000000002',
    parentId: '0000000000000001',
    name: 'a-server',
    timestamp: 1011,
    duration: 8,
    kind: 'SERVER',
    shared: true,
  }),
  makeSpan({
    traceId,
    id: '0000000000000004',
    parentId: '0000000000000002',
    name: 'a1',
    timestamp: 1012,
    duration: 2,
  }),
  makeSpan({
    traceId,
    id: '0000000000000005',
    parentId: '00000000000000ff',
    name: 'orphan',
    timestamp: 1005,
    duration: 1,
  }),
];

describe('buildTraceModel', () => {
  const model = buildTraceModel(spans);
  const names = (rows: ArrayLike<number>): string[] => Array.from(rows, (i) => model.nodes[i]!.name);

  it('orders children by start, depth first; orphans are roots; shared twins nest', () => {
    expect(names(model.order)).toEqual(['root', 'a', 'a-server', 'a1', 'b', 'orphan']);
    expect(model.nodes.map((n) => [n.name, n.depth])).toEqual(
      expect.arrayContaining([
        ['a-server', 2],
        ['a1', 2],
        ['orphan', 0],
      ]),
    );
    expect(model.startUs).toBe(1000);
    expect(model.endUs).toBe(1100);
  });

  it('skips the subtrees of collapsed nodes, and finds ancestors', () => {
    const a = model.nodes.find((n) => n.name === 'a')!.index;
    expect(names(visibleRows(model, new Set([a])))).toEqual(['root', 'a', 'b', 'orphan']);
    const a1 = model.nodes.find((n) => n.name === 'a1')!.index;
    expect(ancestors(model, a1).map((i) => model.nodes[i]!.name)).toEqual(['root', 'a', 'a1']);
  });

  it('does not mutate its input', () => {
    const copy = JSON.parse(JSON.stringify(spans)) as unknown;
    buildTraceModel(spans);
    expect(spans).toEqual(copy);
  });
});
