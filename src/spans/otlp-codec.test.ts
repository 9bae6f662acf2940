import { describe, expect, test } from 'vitest';
import {
  SpanFormatError,
  decodeOtlpJson,
  decodeOtlpProto,
  encodeOtlpResponseJson,
  encodeOtlpResponseProto,
  otlpExportResponse,
} from './index.js';
import type { Span } from './index.js';
import { protoSchemas } from './proto-schemas.js';

const NOW_US = 1_700_000_000_000_000;
const TRACE = '5b8efff798038103d269b633813fc60c';

/** An OTLP/JSON request holding one span; override span fields (undefined removes). */
function otlpBody(spanOverrides: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const span: Record<string, unknown> = {
    traceId: TRACE,
    spanId: 'eee19b7ec3c1b174',
    name: 'op',
    kind: 2,
    startTimeUnixNano: '1699999999000000000',
    endTimeUnixNano: '1699999999001000000',
    ...spanOverrides,
  };
  for (const key of Object.keys(span)) if (span[key] === undefined) delete span[key];
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'lib' }, spans: [span, { ...span, spanId: '00000000000000ff' }] }],
      },
    ],
    ...extra,
  });
}

describe('OTLP/JSON rules', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'a base64 trace id',
      { traceId: 'W47/95gDgQPSabYzgT/GDA==' },
      'traceId must be 32 hex characters (OTLP/JSON ids are hex, not base64)',
    ],
    ['a 16-hex trace id', { traceId: TRACE.slice(16) }, 'traceId must be 32 hex characters, got'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'traceId must not be all zeros'],
    ['a missing span id', { spanId: undefined }, 'spanId is required (16 hex characters)'],
    ['an all-zero span id', { spanId: '0000000000000000' }, 'spanId must not be all zeros'],
    ['a short parent id', { parentSpanId: 'abc' }, 'parentSpanId must be 16 hex characters'],
    ['kind 7', { kind: 7 }, 'kind must be an integer 0-5 (SpanKind), got 7'],
    [
      'end before start',
      { endTimeUnixNano: '1699999998000000000' },
      'endTimeUnixNano is before startTimeUnixNano',
    ],
    [
      'a start that is not digits',
      { startTimeUnixNano: '17e17' },
      'startTimeUnixNano must be unix nanoseconds as decimal digits',
    ],
    ['a negative start', { startTimeUnixNano: -1 }, 'startTimeUnixNano must be non-negative'],
    [
      'a start in seconds',
      { startTimeUnixNano: '1699999999' },
      'startTimeUnixNano must be epoch microseconds after 2000-01-01',
    ],
    [
      'a start two days ahead',
      { startTimeUnixNano: '1700172800000000000' },
      'startTimeUnixNano is more than a day in the future',
    ],
    [
      'an event in 1970',
      { events: [{ timeUnixNano: '5', name: 'x' }] },
      'events[0].timeUnixNano must be epoch microseconds after 2000',
    ],
  ])('rejects %s with a reason naming the field', (_label, overrides, reason) => {
    const result = decodeOtlpJson(
      otlpBody(overrides).replace(
        /"spanId":"00000000000000ff"/,
        '"spanId":"00000000000000ff","traceId":"' + TRACE + '"',
      ),
      { nowUs: NOW_US },
    );
    expect(result.rejected).toBeGreaterThanOrEqual(1);
    expect(result.errors[0]).toContain(`span 0: ${reason}`);
  });

  test('a rejected span does not take the good ones with it', () => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: 'nothex', spanId: 'eee19b7ec3c1b174' },
                { traceId: TRACE, spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '1699999999000000000' },
              ],
            },
          ],
        },
      ],
    });
    const result = decodeOtlpJson(body, { nowUs: NOW_US });
    expect(result.rejected).toBe(1);
    expect(result.spans).toEqual([
      { traceId: TRACE, id: 'eee19b7ec3c1b174', timestamp: 1_699_999_999_000_000 },
    ]);
    expect(otlpExportResponse(result)).toEqual({
      partialSuccess: { rejectedSpans: 1, errorMessage: result.errors[0] },
    });
  });

  test.each<[string, Record<string, unknown>, Partial<Span>]>([
    [
      'nanos are split exactly (no float rounding)',
      { startTimeUnixNano: '1699999999123456789', endTimeUnixNano: '1699999999123457789' },
      { timestamp: 1_699_999_999_123_456, duration: 1 },
    ],
    [
      'nanos as JSON numbers',
      { startTimeUnixNano: 1699999999000000000, endTimeUnixNano: 1699999999002000000 },
      { timestamp: 1_699_999_999_000_000, duration: 2_000 },
    ],
    ['kind as an enum name', { kind: 'SPAN_KIND_CLIENT' }, { kind: 'CLIENT' }],
    ['kind 0 (unspecified) is local', { kind: 0 }, { kind: undefined }],
    ['kind 1 (internal) is local', { kind: 1 }, { kind: undefined }],
    ['an empty parent id is a root', { parentSpanId: '' }, { parentId: undefined }],
    ['upper-case hex is lower-cased', { traceId: TRACE.toUpperCase() }, { traceId: TRACE }],
    [
      'a zero high half shortens the trace id',
      { traceId: `0000000000000000${TRACE.slice(16)}` },
      { traceId: TRACE.slice(16) },
    ],
    [
      'no start means no timing',
      { startTimeUnixNano: undefined, endTimeUnixNano: undefined },
      { timestamp: undefined, duration: undefined },
    ],
    [
      'status ERROR without message',
      { status: { code: 2 } },
      { tags: { error: 'true', 'otel.status_code': 'ERROR', 'otel.scope.name': 'lib' } },
    ],
    [
      'status UNSET adds nothing',
      { status: { code: 0, message: 'x' } },
      { tags: { 'otel.scope.name': 'lib' } },
    ],
    [
      'every AnyValue type',
      {
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'i', value: { intValue: '9007199254740993' } },
          { key: 'n', value: { intValue: 42 } },
          { key: 'd', value: { doubleValue: 1.25 } },
          { key: 'b', value: { boolValue: false } },
          { key: 'y', value: { bytesValue: 'AQI=' } },
          {
            key: 'a',
            value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: '3' }, { boolValue: true }] } },
          },
          { key: 'm', value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 2 } }] } } },
          { key: 'empty', value: {} },
        ],
      },
      {
        tags: {
          s: 'x',
          i: '9007199254740993',
          n: '42',
          d: '1.25',
          b: 'false',
          y: 'AQI=',
          a: '["p",3,true]',
          m: '{"k":2}',
          'otel.scope.name': 'lib',
        },
      },
    ],
  ])('%s', (_label, overrides, expected) => {
    const result = decodeOtlpJson(otlpBody(overrides), { nowUs: NOW_US });
    expect(result.errors).toEqual([]);
    const span = result.spans[0]!;
    for (const [key, value] of Object.entries(expected)) expect(span[key as keyof Span]).toEqual(value);
  });

  test('the pre-1.0 instrumentationLibrarySpans name is still read', () => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'old' },
              spans: [{ traceId: TRACE, spanId: 'eee19b7ec3c1b174' }],
            },
          ],
        },
      ],
    });
    expect(decodeOtlpJson(body).spans).toEqual([
      { traceId: TRACE, id: 'eee19b7ec3c1b174', tags: { 'otel.scope.name': 'old' } },
    ]);
  });

  test.each<[string, string, RegExp]>([
    ['malformed JSON', '{"resourceSpans":', /^malformed JSON/],
    ['a Zipkin array', '[]', /a JSON array looks like Zipkin v2: POST it to \/api\/v2\/spans/],
    ['resourceSpans not an array', '{"resourceSpans":{}}', /resourceSpans must be an array/],
    [
      'scopeSpans not an array',
      '{"resourceSpans":[{"scopeSpans":3}]}',
      /resourceSpans\[0\]\.scopeSpans must be an array/,
    ],
  ])('%s is a SpanFormatError', (_label, body, message) => {
    expect(() => decodeOtlpJson(body)).toThrow(SpanFormatError);
    expect(() => decodeOtlpJson(body)).toThrow(message);
  });

  test('an empty request is fine', () => {
    expect(decodeOtlpJson('{}')).toEqual({ spans: [], rejected: 0, errors: [] });
  });
});

describe('OTLP/protobuf', () => {
  test('garbage is a SpanFormatError', () => {
    expect(() => decodeOtlpProto(Buffer.from('{"resourceSpans":[]}'))).toThrow(SpanFormatError);
  });

  test('a wrong-length id in bytes is named in bytes', () => {
    const body = protoSchemas()
      .otlpExportRequest.encode({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ traceId: Buffer.alloc(8, 1), spanId: Buffer.alloc(8, 2) }] }] },
        ],
      })
      .finish();
    expect(decodeOtlpProto(body).errors).toEqual(['span 0: traceId must be 16 bytes, got 8']);
  });

  test('ids in bytes: a zero high half shortens the trace id; all-zero ids are rejected', () => {
    const encode = (traceId: Buffer, spanId: Buffer): Uint8Array =>
      protoSchemas()
        .otlpExportRequest.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId }] }] }] })
        .finish();
    const low = Buffer.from('48485a3953bb6124', 'hex');
    const span = Buffer.from('eee19b7ec3c1b174', 'hex');
    expect(decodeOtlpProto(encode(Buffer.concat([Buffer.alloc(8), low]), span)).spans).toEqual([
      { traceId: '48485a3953bb6124', id: 'eee19b7ec3c1b174' },
    ]);
    expect(decodeOtlpProto(encode(Buffer.alloc(16), span)).errors).toEqual([
      'span 0: traceId must not be all zeros',
    ]);
    expect(decodeOtlpProto(encode(Buffer.concat([low, low]), Buffer.alloc(8))).errors).toEqual([
      'span 0: spanId must not be all zeros',
    ]);
  });

  test('responses encode as the spec says', () => {
    expect(encodeOtlpResponseJson(otlpExportResponse({ rejected: 0, errors: [] }))).toBe('{}');
    const partial = otlpExportResponse({ rejected: 2, errors: ['span 0: a', 'span 1: b'] });
    expect(JSON.parse(encodeOtlpResponseJson(partial))).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'span 0: a; span 1: b' },
    });
    const decoded = protoSchemas().otlpExportResponse.toObject(
      protoSchemas().otlpExportResponse.decode(encodeOtlpResponseProto(partial)),
      { longs: Number },
    );
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 2, errorMessage: 'span 0: a; span 1: b' } });
  });
});
