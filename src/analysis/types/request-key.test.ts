import { describe, expect, it } from 'vitest';
import { traceOf, type SpanRow } from '../testing/make-span.js';
import { buildTraceTree } from '../trace/trace-tree.js';
import { requestKey, type KeyKind } from './request-key.js';

const frames = (n: number): SpanRow[] =>
  Array.from({ length: n }, (_, i): SpanRow => [`r${i}`, 'd', 'recog', 'classify', 20 + i * 10, 8]);

interface Case {
  name: string;
  drawing: string;
  rows: SpanRow[];
  keys: Partial<Record<KeyKind, string>>;
}

const CASES: Case[] = [
  {
    name: 'repeated subtrees fold with a count: the 6-frame video chain is one node',
    drawing: `
      streaming:get ─ decoder:decode ─┬ recog:classify   (×6, one after the other)
                                      ├ recog:classify
                                      └ …
    `,
    rows: [['s', '', 'streaming', 'get', 0, 100], ['d', 's', 'decoder', 'decode', 10, 80], ...frames(6)],
    keys: {
      tree: 'streaming:get → decoder:decode → recog:classify×6',
      root: 'streaming:get',
      set: 'decoder:decode,recog:classify,streaming:get',
    },
  },
  {
    name: 'a client span and the server span it reached fold into one node named after the server',
    drawing: `
      invoker:call (CLIENT) ─ gw:post (SERVER) ─┬ gw:queue
                                                 └ gw:fn (CLIENT) ─ fn:handle (SERVER) ─ fn:work
    `,
    rows: [
      ['1', '', 'invoker', 'call', 0, 100, { kind: 'CLIENT' }],
      ['2', '1', 'gw', 'post', 5, 90, { kind: 'SERVER' }],
      ['3', '2', 'gw', 'queue', 6, 4],
      ['4', '2', 'gw', 'fn', 10, 80, { kind: 'CLIENT', remoteEndpoint: { serviceName: 'fn' } }],
      ['5', '4', 'fn', 'handle', 12, 70, { kind: 'SERVER', tags: { 'function.name': 'main' } }],
      ['6', '5', 'fn', 'work', 15, 50],
    ],
    keys: {
      tree: 'gw:post → [gw:queue, fn:handle → fn:work]',
      root: 'invoker:call',
      set: 'fn:main,fn:work,gw:fn,gw:post,gw:queue,invoker:call',
    },
  },
  {
    name: 'a shared span id (Zipkin client/server halves) folds too; repeats with children get parentheses',
    drawing: `
      fe:get ─┬ be:q (CLIENT id 2 + SERVER id 2, shared) ─ db:select
              └ be:q (CLIENT id 3 + SERVER id 3, shared) ─ db:select
    `,
    rows: [
      ['1', '', 'fe', 'get', 0, 100, { kind: 'SERVER' }],
      ['2', '1', 'fe', 'q', 10, 30, { kind: 'CLIENT' }],
      ['2', '1', 'be', 'q', 12, 26, { kind: 'SERVER', shared: true }],
      ['a', '2', 'db', 'select', 14, 10],
      ['3', '1', 'fe', 'q', 50, 30, { kind: 'CLIENT' }],
      ['3', '1', 'be', 'q', 52, 26, { kind: 'SERVER', shared: true }],
      ['b', '3', 'db', 'select', 54, 10],
    ],
    keys: { tree: 'fe:get → (be:q → db:select)×2' },
  },
  {
    name: 'different children in between stop the folding; siblings go by start',
    drawing: `
      a:x ─┬ b:y   (t=10)
           ├ c:z   (t=20)
           └ b:y   (t=30)
    `,
    rows: [
      ['1', '', 'a', 'x', 0, 100],
      ['4', '1', 'b', 'y', 30, 5],
      ['2', '1', 'b', 'y', 10, 5],
      ['3', '1', 'c', 'z', 20, 5],
    ],
    keys: { tree: 'a:x → [b:y, c:z, b:y]' },
  },
];

describe('requestKey', () => {
  it.each(CASES)('$name', ({ rows, keys }) => {
    const tree = buildTraceTree(traceOf(rows))!;
    for (const [kind, key] of Object.entries(keys)) expect(requestKey(tree, kind as KeyKind)).toBe(key);
  });

  it('traces with 5 and 6 frames are different types', () => {
    const key = (n: number): string =>
      requestKey(
        buildTraceTree(
          traceOf([
            ['s', '', 'streaming', 'get', 0, 100],
            ['d', 's', 'decoder', 'decode', 10, 80],
            ...frames(n),
          ]),
        )!,
        'tree',
      );
    expect(key(5)).not.toBe(key(6));
  });
});
