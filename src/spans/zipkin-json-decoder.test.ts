import zipkin from 'zipkin';
import { describe, expect, test } from 'vitest';
import { SpanFormatError, decodeZipkinJson, encodeZipkinJson } from './index.js';
import type { Span } from './index.js';

/** 2023-11-14T22:13:20Z, fixed so the "future" rule is deterministic. */
const NOW_US = 1_700_000_000_000_000;
const TRACE = '463ac35c9f6413ad48485a3953bb6124';

/** A valid Zipkin v2 JSON span; override any field (undefined removes it). */
function makeSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const span: Record<string, unknown> = {
    traceId: TRACE,
    id: 'a2fb4a1d1a96d312',
    parentId: '0020000000000001',
    name: 'get /api',
    kind: 'SERVER',
    timestamp: NOW_US - 5_000_000,
    duration: 1_234,
    localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 },
    remoteEndpoint: { serviceName: 'gateway' },
    annotations: [{ timestamp: NOW_US - 4_999_000, value: 'wr' }],
    tags: { 'http.method': 'GET' },
    ...overrides,
  };
  for (const key of Object.keys(span)) if (span[key] === undefined) delete span[key];
  return span;
}

function decode(spans: unknown[]): ReturnType<typeof decodeZipkinJson> {
  return decodeZipkinJson(JSON.stringify(spans), { nowUs: NOW_US });
}

describe('decodeZipkinJson', () => {
  test('keeps a valid span with every field', () => {
    const result = decode([makeSpan({ debug: true, shared: true })]);
    expect(result).toEqual({
      spans: [{ ...makeSpan(), debug: true, shared: true }],
      rejected: 0,
      errors: [],
    });
  });

  test('accepts a Buffer body and drops unknown fields', () => {
    const result = decodeZipkinJson(Buffer.from(JSON.stringify([makeSpan({ extra: 1 })])), { nowUs: NOW_US });
    expect(result.spans[0]).toEqual(makeSpan());
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['traceId not hex', { traceId: 'zz3ac35c9f6413ad' }, 'span 0: traceId must be 16 or 32 hex characters'],
    ['traceId wrong length', { traceId: '463ac35c9f6413' }, 'traceId must be 16 or 32 hex'],
    [
      'traceId all zeros',
      { traceId: '0'.repeat(32) },
      'traceId must be 16 or 32 hex characters, not all zeros',
    ],
    [
      'traceId missing',
      { traceId: undefined },
      'traceId must be 16 or 32 hex characters, not all zeros, got nothing',
    ],
    ['traceId a number', { traceId: 12345 }, 'got 12345'],
    ['id wrong length', { id: 'xyz' }, 'id must be 16 hex characters, not all zeros, got "xyz"'],
    ['id 32 chars', { id: TRACE }, 'id must be 16 hex characters'],
    ['id all zeros', { id: '0000000000000000' }, 'id must be 16 hex'],
    ['parentId not hex', { parentId: 'g000000000000001' }, 'parentId must be 16 hex'],
    [
      'timestamp negative',
      { timestamp: -5 },
      'timestamp must be epoch microseconds (a non-negative integer), got -5',
    ],
    ['timestamp text', { timestamp: 'yesterday' }, 'timestamp must be epoch microseconds'],
    [
      'timestamp in milliseconds',
      { timestamp: 1_700_000_000_000 },
      'timestamp must be epoch microseconds after 2000-01-01',
    ],
    ['timestamp in 1999', { timestamp: 915_148_800_000_000 }, 'after 2000-01-01'],
    [
      'timestamp two days ahead',
      { timestamp: NOW_US + 2 * 86_400_000_000 },
      'timestamp is more than a day in the future',
    ],
    ['timestamp absurdly large', { timestamp: 1e300 }, 'timestamp is more than a day in the future'],
    ['duration negative', { duration: -1 }, 'duration must be microseconds (a non-negative integer), got -1'],
    ['duration text', { duration: 'long' }, 'duration must be microseconds'],
    [
      'kind lower case',
      { kind: 'server' },
      'kind must be one of CLIENT, SERVER, PRODUCER, CONSUMER, got "server"',
    ],
    ['kind unknown', { kind: 'INTERNAL' }, 'kind must be one of'],
    ['name not a string', { name: 42 }, 'name must be a string, got 42'],
    [
      'tag value an object',
      { tags: { a: { b: 1 } } },
      'tags.a must be a string, number or boolean, got {"b":1}',
    ],
    ['tag value null', { tags: { a: null } }, 'tags.a must be a string, number or boolean, got null'],
    ['tags an array', { tags: ['a'] }, 'tags must be an object of string values'],
    ['annotations not an array', { annotations: 'wr' }, 'annotations must be an array'],
    [
      'annotation without value',
      { annotations: [{ timestamp: NOW_US }] },
      'annotations[0].value must be a non-empty string',
    ],
    [
      'annotation without timestamp',
      { annotations: [{ value: 'wr' }] },
      'annotations[0].timestamp is required',
    ],
    [
      'annotation in 1970',
      { annotations: [{ timestamp: 5, value: 'wr' }] },
      'annotations[0].timestamp must be epoch microseconds after 2000',
    ],
    ['endpoint a string', { localEndpoint: 'frontend' }, 'localEndpoint must be an object'],
    [
      'endpoint port out of range',
      { remoteEndpoint: { port: 70000 } },
      'remoteEndpoint.port must be an integer 0-65535',
    ],
    [
      'serviceName a number',
      { localEndpoint: { serviceName: 7 } },
      'localEndpoint.serviceName must be a string',
    ],
    ['debug a string', { debug: 'yes' }, 'debug must be true or false'],
  ])('rejects %s, keeps the good spans', (_label, overrides, reason) => {
    const good = makeSpan({ id: '00000000000000aa' });
    const result = decode([makeSpan(overrides), good]);
    expect(result.spans).toEqual([good]);
    expect(result.rejected).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(reason);
    expect(result.errors[0]).toMatch(/^span 0: /);
  });

  test('a timestamp that overflows to Infinity is rejected', () => {
    const body = JSON.stringify([makeSpan({ timestamp: 1 })]).replace('"timestamp":1', '"timestamp":1e400');
    const result = decodeZipkinJson(body, { nowUs: NOW_US });
    expect(result.errors).toEqual([
      'span 0: timestamp must be epoch microseconds (a non-negative integer), got Infinity',
    ]);
  });

  test('a non-object item is rejected, not fatal', () => {
    const result = decode([42, makeSpan()]);
    expect(result.rejected).toBe(1);
    expect(result.errors[0]).toBe('span 0: must be a JSON object, got 42');
    expect(result.spans).toHaveLength(1);
  });

  test.each<[string, Record<string, unknown>, Partial<Span>]>([
    [
      'upper-case ids are lower-cased',
      { traceId: TRACE.toUpperCase(), id: 'A2FB4A1D1A96D312' },
      { traceId: TRACE, id: 'a2fb4a1d1a96d312' },
    ],
    [
      'a 128-bit id with a zero high half becomes 64-bit',
      { traceId: `0000000000000000${TRACE.slice(16)}` },
      { traceId: TRACE.slice(16) },
    ],
    ['a 64-bit trace id is kept', { traceId: TRACE.slice(16) }, { traceId: TRACE.slice(16) }],
    [
      'fractional microseconds are rounded',
      { timestamp: NOW_US - 100.25, duration: 10.6 },
      { timestamp: NOW_US - 100, duration: 11 },
    ],
    [
      'numeric strings are accepted',
      { timestamp: String(NOW_US), duration: '7' },
      { timestamp: NOW_US, duration: 7 },
    ],
    ['a sub-microsecond duration rounds up to 1', { duration: 0.3 }, { duration: 1 }],
    [
      'timestamp and duration 0 mean absent',
      { timestamp: 0, duration: 0 },
      { timestamp: undefined, duration: undefined },
    ],
    [
      'up to a day ahead is clock skew, kept',
      { timestamp: NOW_US + 3_600_000_000 },
      { timestamp: NOW_US + 3_600_000_000 },
    ],
    [
      'numbers and booleans in tags become strings',
      { tags: { n: 200, b: false, s: 'x' } },
      { tags: { n: '200', b: 'false', s: 'x' } },
    ],
    [
      'empty tags and annotations are dropped',
      { tags: {}, annotations: [] },
      { tags: undefined, annotations: undefined },
    ],
    ['empty name means absent', { name: '' }, { name: undefined }],
    ['null parentId means root', { parentId: null }, { parentId: undefined }],
    ['an absent kind is a local span', { kind: undefined }, { kind: undefined }],
  ])('%s', (_label, overrides, expected) => {
    const result = decode([makeSpan(overrides)]);
    expect(result.errors).toEqual([]);
    const span = result.spans[0]!;
    for (const [key, value] of Object.entries(expected)) expect(span[key as keyof Span]).toEqual(value);
  });

  test('annotations come out sorted by timestamp', () => {
    const annotations = [
      { timestamp: NOW_US - 10, value: 'late' },
      { timestamp: NOW_US - 30, value: 'early' },
    ];
    expect(decode([makeSpan({ annotations })]).spans[0]!.annotations!.map((a) => a.value)).toEqual([
      'early',
      'late',
    ]);
  });

  test('keeps only the first maxErrors reasons but counts all', () => {
    const bad = Array.from({ length: 25 }, () => makeSpan({ id: 'bad' }));
    const result = decodeZipkinJson(JSON.stringify(bad), { nowUs: NOW_US, maxErrors: 3 });
    expect(result.rejected).toBe(25);
    expect(result.errors).toHaveLength(3);
    expect(result.errors[2]).toMatch(/^span 2: id/);
  });

  test.each<[string, string, RegExp]>([
    ['malformed JSON', '[{"traceId":', /^malformed JSON: /],
    ['an object', '{"traceId":"a"}', /expected a JSON array of Zipkin v2 spans, got object/],
    ['OTLP sent to Zipkin', '{"resourceSpans":[]}', /looks like OTLP: POST it to \/v1\/traces/],
    ['null', 'null', /got null/],
  ])('a whole body that is %s is a SpanFormatError', (_label, body, message) => {
    expect(() => decodeZipkinJson(body, { nowUs: NOW_US })).toThrow(SpanFormatError);
    expect(() => decodeZipkinJson(body, { nowUs: NOW_US })).toThrow(message);
  });

  test('an empty array is fine', () => {
    expect(decode([])).toEqual({ spans: [], rejected: 0, errors: [] });
  });

  test('round trip: encodeZipkinJson output decodes to the same spans', () => {
    const spans = decode([
      makeSpan(),
      makeSpan({ id: '00000000000000bb', kind: undefined, remoteEndpoint: undefined }),
    ]).spans;
    expect(decodeZipkinJson(encodeZipkinJson(spans), { nowUs: NOW_US }).spans).toEqual(spans);
  });
});

describe('Zipkin v1 detection', () => {
  const v1Message = /Zipkin v1 JSON.*\/api\/v2\/spans.*jsonEncoder: JSON_V2.*\/api\/v1\/spans/s;

  test.each<[string, Record<string, unknown>]>([
    [
      'binaryAnnotations',
      { traceId: TRACE, id: 'a2fb4a1d1a96d312', binaryAnnotations: [{ key: 'a', value: 'b' }] },
    ],
    [
      'annotations with an endpoint',
      {
        traceId: TRACE,
        id: 'a2fb4a1d1a96d312',
        annotations: [{ timestamp: NOW_US, value: 'sr', endpoint: { serviceName: 'x' } }],
      },
    ],
  ])('a v1 span with %s fails the whole body with how to switch', (_label, span) => {
    expect(() => decode([makeSpan(), span])).toThrow(v1Message);
  });

  test('a v2 span with a stray endpoint in an annotation but a localEndpoint is v2', () => {
    const annotations = [{ timestamp: NOW_US, value: 'sr', endpoint: { serviceName: 'x' } }];
    expect(decode([makeSpan({ annotations })]).spans).toHaveLength(1);
  });

  test('the real zipkin-js JSON_V1 encoder output is detected, its JSON_V2 output accepted', () => {
    const { model, jsonEncoder, TraceId, option } = zipkin;
    const id = new TraceId({
      traceId: TRACE.slice(16),
      spanId: 'a2fb4a1d1a96d312',
      sampled: new option.Some(true),
    });
    const span = new model.Span(id);
    span.setName('get');
    span.setKind('SERVER');
    span.setTimestamp(NOW_US - 1000);
    span.setDuration(200);
    span.setLocalEndpoint(new model.Endpoint({ serviceName: 'zipkin-js', ipv4: '127.0.0.1', port: 80 }));
    span.putTag('http.path', '/');
    const v1 = `[${jsonEncoder.JSON_V1.encode(span)}]`;
    const v2 = `[${jsonEncoder.JSON_V2.encode(span)}]`;
    expect(() => decodeZipkinJson(v1, { nowUs: NOW_US })).toThrow(v1Message);
    const decoded = decodeZipkinJson(v2, { nowUs: NOW_US });
    expect(decoded.errors).toEqual([]);
    expect(decoded.spans[0]).toMatchObject({
      traceId: TRACE.slice(16),
      id: 'a2fb4a1d1a96d312',
      kind: 'SERVER',
      name: 'get',
      duration: 200,
      localEndpoint: { serviceName: 'zipkin-js' },
      tags: { 'http.path': '/' },
    });
  });
});

test('a leading byte-order mark is skipped', () => {
  const body = `\uFEFF${JSON.stringify([{ traceId: '48485a3953bb6124', id: 'a2fb4a1d1a96d312' }])}`;
  expect(decodeZipkinJson(Buffer.from(body, 'utf8')).spans).toEqual([
    { traceId: '48485a3953bb6124', id: 'a2fb4a1d1a96d312' },
  ]);
});
