import { describe, expect, it } from 'vitest';
import type { Span } from '../../../spans/index.js';
import { copyDataOf, DOC_SEPARATOR, toPgRowBatch } from './postgres-rows.js';

/** COPY text-format decoding, as PostgreSQL reads the writer's lines. */
function decodeCopy(data: Buffer): (string | null)[][] {
  const lines = data.toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  const unescape = (field: string): string | null =>
    field === '\\N'
      ? null
      : field.replace(/\\(.)/g, (_, c: string) =>
          c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c,
        );
  return lines.map((line) => line.split('\t').map(unescape));
}

const DAY_US = 86_400_000_000;

describe('toPgRowBatch', () => {
  it('gives each span a row (as COPY text too) whose doc is the span without its trace id', () => {
    const spans: Span[] = [
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        id: 'b7ad6b7169203331',
        name: 'Get \\ "quoted"\ttab\nline',
        timestamp: 1_700_000_000_000_000,
        duration: 1234,
        localEndpoint: { serviceName: 'Front\\End' },
        tags: { 'a\\b': 'c\u0000d', e: 'über' },
      },
      // Trace id not the first key, 16 hex long: the doc is built the slower way.
      { id: '00000000000000aa', traceId: '463ac35c9f6413ad', localEndpoint: { serviceName: 'db' } },
      // Only a trace id and an id, nothing after: the cut must not eat the closing brace.
      { traceId: '463ac35c9f6413ad', id: '00000000000000ab' },
    ];
    const batch = toPgRowBatch(spans, DAY_US);
    const rows = decodeCopy(Buffer.concat(copyDataOf([batch])));
    expect(rows).toHaveLength(3);
    const [first, second, third] = rows as [(string | null)[], (string | null)[], (string | null)[]];
    expect(first.slice(0, 4)).toEqual([
      '\\x0af7651916cd43dd8448eb211c80319c',
      '1700000000000000',
      '1234',
      'front\\end',
    ]);
    const { traceId: _, ...rest } = spans[0]!;
    expect(JSON.parse(first[4]!)).toEqual({
      ...rest,
      name: 'get \\ "quoted"\ttab\nline',
      localEndpoint: { serviceName: 'front\\end' },
    });
    expect(second.slice(0, 4)).toEqual(['\\x463ac35c9f6413ad', '0', null, 'db']);
    expect(JSON.parse(second[4]!)).toEqual({ id: '00000000000000aa', localEndpoint: { serviceName: 'db' } });
    expect(JSON.parse(third[4]!)).toEqual({ id: '00000000000000ab' });
    expect(batch.spanCount).toBe(3);
    expect(batch.traces).toEqual(
      new Map([
        ['0af7651916cd43dd8448eb211c80319c', 1_700_000_000_000_000],
        ['463ac35c9f6413ad', 0],
      ]),
    );
    expect(batch.partitions).toEqual(
      new Map([
        [Math.floor(1_700_000_000_000_000 / DAY_US) * DAY_US, 1],
        [0, 2],
      ]),
    );
    // Dictionary facts: once each, NUL stripped (PostgreSQL text refuses it).
    expect(batch.services).toEqual(['front\\end', 'db']);
    expect(batch.spanNames).toEqual([['front\\end', 'INTERNAL', 'get \\ "quoted"\ttab\nline']]);
    expect(batch.tagValues).toEqual([
      ['a\\b', 'cd'],
      ['e', 'über'],
    ]);
  });

  it('grows its buffer past the first estimate', () => {
    const long = 'x'.repeat(5000);
    const spans: Span[] = Array.from({ length: 3 }, (_, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: `000000000000000${i}`,
      name: long,
    }));
    const rows = decodeCopy(Buffer.concat(copyDataOf([toPgRowBatch(spans, DAY_US)])));
    expect(rows.map((row) => (JSON.parse(row[4]!) as { id: string }).id)).toEqual([
      '0000000000000000',
      '0000000000000001',
      '0000000000000002',
    ]);
  });

  it('keeps the separator of the one-statement path out of every doc', () => {
    // JSON escapes control characters, so a name holding the separator cannot split a doc.
    const spans: Span[] = ['a\u001eb', 'c\u0000d', 'e'].map((name, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: `000000000000000${i}`,
      name,
    }));
    const batch = toPgRowBatch(spans, DAY_US);
    const docs = batch.docs.join(DOC_SEPARATOR).split(DOC_SEPARATOR);
    expect(docs.map((doc) => (JSON.parse(doc) as { name: string }).name)).toEqual([
      'a\u001eb',
      'c\u0000d',
      'e',
    ]);
  });
});
