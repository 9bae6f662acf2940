import { describe, expect, it } from 'vitest';
import type { Span } from '../../../spans/index.js';
import { copyDataOf, DOC_SEPARATOR, spansOfDoc, toPgRowBatch } from './postgres-rows.js';

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

/** The COPY columns by name (the writer's COPY_SQL order). */
function named(row: (string | null)[]) {
  const [id, ts, tsMax, duration, service, doc, count] = row;
  return { id, ts, tsMax, duration, service, doc: doc!, count };
}

const DAY_US = 86_400_000_000;

describe('toPgRowBatch', () => {
  it('gives each span group a row (as COPY text too) whose doc holds the spans without their trace id', () => {
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
    const [first, second, third] = rows.map(named) as [
      ReturnType<typeof named>,
      ReturnType<typeof named>,
      ReturnType<typeof named>,
    ];
    expect(first).toMatchObject({
      id: '\\x0af7651916cd43dd8448eb211c80319c',
      ts: '1700000000000000',
      tsMax: '1700000000000000',
      duration: '1234',
      service: 'front\\end',
      count: '1',
    });
    const { traceId: _, ...rest } = spans[0]!;
    expect(JSON.parse(first.doc)).toEqual([
      {
        ...rest,
        name: 'get \\ "quoted"\ttab\nline',
        localEndpoint: { serviceName: 'front\\end' },
      },
    ]);
    // Same trace, another local service (none): rows of their own.
    expect(second).toMatchObject({ id: '\\x463ac35c9f6413ad', ts: '0', duration: null, service: 'db' });
    expect(JSON.parse(second.doc)).toEqual([
      { id: '00000000000000aa', localEndpoint: { serviceName: 'db' } },
    ]);
    expect(JSON.parse(third.doc)).toEqual([{ id: '00000000000000ab' }]);
    expect(third.service).toBe('');
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
    expect(rows).toHaveLength(1);
    expect((JSON.parse(named(rows[0]!).doc) as { id: string }[]).map((span) => span.id)).toEqual([
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
      localEndpoint: { serviceName: `s${i}` },
    }));
    const batch = toPgRowBatch(spans, DAY_US);
    // Three services, three rows.
    const docs = batch.docs.join(DOC_SEPARATOR).split(DOC_SEPARATOR);
    expect(docs.flatMap((doc) => (JSON.parse(doc) as { name: string }[]).map((span) => span.name))).toEqual([
      'a\u001eb',
      'c\u0000d',
      'e',
    ]);
  });

  it('groups the spans of one trace and one service: earliest start, longest duration, count', () => {
    const traceA = '0af7651916cd43dd8448eb211c80319c';
    const traceB = '463ac35c9f6413ad';
    const at = (
      traceId: string,
      id: number,
      service: string,
      timestamp: number,
      duration?: number,
    ): Span => ({
      traceId,
      id: id.toString(16).padStart(16, '0'),
      timestamp,
      ...(duration === undefined ? {} : { duration }),
      localEndpoint: { serviceName: service },
    });
    const spans = [
      at(traceA, 1, 'web', 5000, 40),
      at(traceB, 2, 'web', 7000, 10),
      at(traceA, 3, 'db', 5100, 5),
      at(traceA, 4, 'web', 4000), // earlier, no duration
      at(traceA, 5, 'web', 6000, 90),
      // A span of the same group past the partition edge stays in its group's row.
      at(traceB, 6, 'web', DAY_US + 1, 1),
    ];
    const batch = toPgRowBatch(spans, DAY_US);
    expect(batch.spanCount).toBe(6);
    expect(batch.rowCount).toBe(3);
    const rows = decodeCopy(Buffer.concat(copyDataOf([batch])));
    const summary = rows.map(named).map(({ doc: _, ...columns }) => columns);
    expect(summary).toEqual([
      { id: `\\x${traceA}`, ts: '4000', tsMax: '6000', duration: '90', service: 'web', count: '3' },
      {
        id: `\\x${traceB}`,
        ts: '7000',
        tsMax: String(DAY_US + 1),
        duration: '10',
        service: 'web',
        count: '2',
      },
      { id: `\\x${traceA}`, ts: '5100', tsMax: '5100', duration: '5', service: 'db', count: '1' },
    ]);
    expect((JSON.parse(named(rows[0]!).doc) as Span[]).map((span) => span.id)).toEqual([
      '0000000000000001',
      '0000000000000004',
      '0000000000000005',
    ]);
    expect(batch.partitions).toEqual(new Map([[0, 6]]));
    expect(batch.traces).toEqual(
      new Map([
        [traceA, 4000],
        [traceB, 7000],
      ]),
    );
    // A group whose spans have no duration has none.
    const noDuration = toPgRowBatch([at(traceA, 7, 'web', 1), at(traceA, 8, 'web', 2)], DAY_US);
    expect(noDuration.durations).toEqual([null]);
  });
});

describe('spansOfDoc', () => {
  it('reads a span group and a one-span row from before schema version 5, trace id restored', () => {
    expect(spansOfDoc('463ac35c9f6413ad', '[{"id":"00000000000000aa"},{"id":"00000000000000ab"}]')).toEqual([
      { id: '00000000000000aa', traceId: '463ac35c9f6413ad' },
      { id: '00000000000000ab', traceId: '463ac35c9f6413ad' },
    ]);
    expect(spansOfDoc('463ac35c9f6413ad', '{"id":"00000000000000aa","name":"x"}')).toEqual([
      { id: '00000000000000aa', name: 'x', traceId: '463ac35c9f6413ad' },
    ]);
  });
});
