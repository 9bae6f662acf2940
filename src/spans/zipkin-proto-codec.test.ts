import { describe, expect, test } from 'vitest';
import { SpanFormatError, decodeZipkinJson, decodeZipkinProto, encodeZipkinProto } from './index.js';
import type { Span } from './index.js';
import { protoSchemas } from './proto-schemas.js';
import { makeSpan } from './testing/index.js';

const NOW_US = 1_700_000_000_000_000;

/** A span with every field set, as overrides of the one span factory. */
const FULL_SPAN = {
  traceId: '463ac35c9f6413ad48485a3953bb6124',
  id: 'a2fb4a1d1a96d312',
  parentId: '0020000000000001',
  kind: 'CLIENT',
  name: 'call geo',
  timestamp: NOW_US - 1_000,
  duration: 250,
  localEndpoint: { serviceName: 'search', ipv4: '192.168.1.20', ipv6: '2001:db8::c001', port: 8080 },
  remoteEndpoint: { serviceName: 'geo', port: 50051 },
  annotations: [
    { timestamp: NOW_US - 990, value: 'ws' },
    { timestamp: NOW_US - 800, value: 'wr' },
  ],
  tags: { 'rpc.method': 'Nearby', error: 'boom' },
  debug: true,
  shared: true,
} satisfies Span;

/** Encodes a raw ListOfSpans, for bodies our encoder would never produce. */
function rawProto(spans: Record<string, unknown>[]): Uint8Array {
  return protoSchemas().zipkinListOfSpans.encode({ spans }).finish();
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('Zipkin proto3', () => {
  test.each<[string, Span]>([
    ['every field', makeSpan(FULL_SPAN)],
    ['a minimal local root span', { traceId: '48485a3953bb6124', id: '0000000000000001' }],
    ['each kind: SERVER', makeSpan({ ...FULL_SPAN, kind: 'SERVER' })],
    ['each kind: PRODUCER', makeSpan({ ...FULL_SPAN, kind: 'PRODUCER' })],
    ['each kind: CONSUMER', makeSpan({ ...FULL_SPAN, kind: 'CONSUMER' })],
  ])('round trip: %s', (_label, span) => {
    const result = decodeZipkinProto(encodeZipkinProto([span]), { nowUs: NOW_US });
    expect(result).toEqual({ spans: [span], rejected: 0, errors: [] });
  });

  test('proto and JSON decode the same spans alike', () => {
    const spans = [
      makeSpan(FULL_SPAN),
      makeSpan({
        ...FULL_SPAN,
        id: '00000000000000b2',
        kind: undefined,
        debug: undefined,
        shared: undefined,
      }),
    ];
    const viaJson = decodeZipkinJson(JSON.stringify(spans), { nowUs: NOW_US }).spans;
    expect(decodeZipkinProto(encodeZipkinProto(viaJson), { nowUs: NOW_US }).spans).toEqual(viaJson);
  });

  test('is smaller than JSON', () => {
    const spans = Array.from({ length: 10 }, () => makeSpan(FULL_SPAN));
    expect(encodeZipkinProto(spans).length).toBeLessThan(JSON.stringify(spans).length / 1.5);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a 5-byte trace id', { traceId: hex('0102030405') }, 'traceId must be 8 or 16 bytes, got 5'],
    ['an all-zero trace id', { traceId: new Uint8Array(16) }, 'traceId must not be all zeros'],
    ['a 16-byte span id', { id: hex('463ac35c9f6413ad48485a3953bb6124') }, 'id must be 8 bytes, got 16'],
    ['no span id', { id: undefined }, 'id must be 8 bytes, got 0'],
    ['an all-zero span id', { id: new Uint8Array(8) }, 'id must not be all zeros'],
    ['a bad parent id', { parentId: hex('01') }, 'parentId must be 8 bytes, got 1'],
    [
      'a timestamp in milliseconds',
      { timestamp: 1_700_000_000_000 },
      'timestamp must be epoch microseconds after 2000-01-01',
    ],
    [
      'a timestamp two days ahead',
      { timestamp: NOW_US + 2 * 86_400_000_000 },
      'timestamp is more than a day in the future',
    ],
    ['an unknown kind', { kind: 9 }, 'kind must be 1-4'],
    [
      'a 3-byte ipv4',
      { localEndpoint: { ipv4: hex('0a0000') } },
      'localEndpoint.ipv4 must be 4 bytes, got 3',
    ],
    [
      'an annotation in 1970',
      { annotations: [{ timestamp: 5, value: 'x' }] },
      'annotations[0].timestamp must be epoch',
    ],
  ])('rejects %s and keeps the good span', (_label, overrides, reason) => {
    const base: Record<string, unknown> = {
      traceId: hex('463ac35c9f6413ad48485a3953bb6124'),
      id: hex('a2fb4a1d1a96d312'),
      timestamp: NOW_US,
    };
    const bad = { ...base, ...overrides };
    const result = decodeZipkinProto(rawProto([bad, base]), { nowUs: NOW_US });
    expect(result.rejected).toBe(1);
    expect(result.errors[0]).toContain(`span 0: ${reason}`);
    expect(result.spans).toEqual([
      { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a2fb4a1d1a96d312', timestamp: NOW_US },
    ]);
  });

  test('an 8-byte zero-padded 16-byte trace id normalizes to 16 hex', () => {
    const body = rawProto([
      { traceId: hex('000000000000000048485a3953bb6124'), id: hex('a2fb4a1d1a96d312') },
    ]);
    expect(decodeZipkinProto(body, { nowUs: NOW_US }).spans[0]!.traceId).toBe('48485a3953bb6124');
  });

  test.each<[string, Uint8Array]>([
    ['truncated', encodeZipkinProto([makeSpan(FULL_SPAN)]).subarray(0, 40)],
    ['JSON sent as protobuf', Buffer.from(JSON.stringify([makeSpan(FULL_SPAN)]))],
  ])('a %s body is a SpanFormatError', (_label, body) => {
    expect(() => decodeZipkinProto(body)).toThrow(SpanFormatError);
    expect(() => decodeZipkinProto(body)).toThrow(
      /^malformed protobuf \(expected zipkin.proto3.ListOfSpans\)/,
    );
  });

  test('an empty body is an empty list', () => {
    expect(decodeZipkinProto(new Uint8Array(0))).toEqual({ spans: [], rejected: 0, errors: [] });
  });
});
