/**
 * Seeded fuzzing of every decoder: whatever the body, a decoder either returns a result
 * (spans that satisfy the model's invariants, plus counted rejections) or throws
 * SpanFormatError. Anything else would be a 500 in the collector.
 */
import { describe, expect, test } from 'vitest';
import {
  SpanFormatError,
  decodeOtlpJson,
  decodeOtlpProto,
  decodeZipkinJson,
  decodeZipkinProto,
  encodeZipkinProto,
} from './index.js';
import type { DecodeResult, Span } from './index.js';
import { protoSchemas } from './proto-schemas.js';

const NOW_US = 1_700_000_000_000_000;

/** mulberry32: deterministic, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 2 ? 7 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return Math.floor((random() - 0.3) * 10 ** Math.floor(random() * 20));
    case 3:
      return random() * 1e6;
    case 4:
      return '';
    case 5:
      return Math.floor(random() * 2 ** 52).toString(16);
    case 6:
      return ['SERVER', 'x', '0000000000000000', 'a2fb4a1d1a96d312', '17e17', '__proto__'][
        Math.floor(random() * 6)
      ];
    case 7:
      return Array.from({ length: Math.floor(random() * 3) }, () => randomValue(random, depth + 1));
    default: {
      const keys = [
        'stringValue',
        'intValue',
        'values',
        'value',
        'key',
        'timestamp',
        'serviceName',
        'port',
        'code',
      ];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(random() * 3); i++)
        out[keys[Math.floor(random() * keys.length)]!] = randomValue(random, depth + 1);
      return out;
    }
  }
}

/** Replaces one random field, at any depth, of a copy of `value`. */
function mutate(value: unknown, random: () => number): unknown {
  if (value === null || typeof value !== 'object' || random() < 0.25) return randomValue(random);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...(value as unknown[])]
    : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return randomValue(random);
  const key = keys[Math.floor(random() * keys.length)]!;
  (copy as Record<string, unknown>)[key] = mutate((copy as Record<string, unknown>)[key], random);
  return copy;
}

/** What the fuzzing reached, so that a test that exercises nothing fails. */
interface Outcomes {
  kept: number;
  rejected: number;
  formatErrors: number;
}

function newOutcomes(): Outcomes {
  return { kept: 0, rejected: 0, formatErrors: 0 };
}

/**
 * Checks one decode. `candidates`, where the body's shape tells it, is how many spans the
 * body holds: each of them is either kept or counted as rejected, none is lost silently.
 */
function expectValid(run: () => DecodeResult, outcomes: Outcomes, candidates?: number): void {
  let result: DecodeResult;
  try {
    result = run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpanFormatError);
    outcomes.formatErrors++;
    return;
  }
  if (candidates !== undefined) expect(result.spans.length + result.rejected).toBe(candidates);
  expect(result.errors.length).toBe(Math.min(result.rejected, 10));
  outcomes.kept += result.spans.length;
  outcomes.rejected += result.rejected;
  for (const span of result.spans) expectSpanInvariants(span);
}

function expectAllOutcomes(outcomes: Outcomes): void {
  expect(outcomes.kept).toBeGreaterThan(100);
  expect(outcomes.rejected).toBeGreaterThan(50);
  expect(outcomes.formatErrors).toBeGreaterThan(10);
}

function expectSpanInvariants(span: Span): void {
  expect(span.traceId).toMatch(/^([0-9a-f]{16}|[0-9a-f]{32})$/);
  expect(span.traceId.startsWith('0000000000000000') && span.traceId.length === 32).toBe(false);
  expect(span.id).toMatch(/^[0-9a-f]{16}$/);
  if (span.parentId !== undefined) expect(span.parentId).toMatch(/^[0-9a-f]{16}$/);
  if (span.timestamp !== undefined)
    expect(Number.isSafeInteger(span.timestamp) && span.timestamp > 0).toBe(true);
  if (span.duration !== undefined) expect(Number.isInteger(span.duration) && span.duration > 0).toBe(true);
  for (const value of Object.values(span.tags ?? {})) expect(typeof value).toBe('string');
  const times = (span.annotations ?? []).map((a) => a.timestamp);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

const zipkinSeed = [
  {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    id: 'a2fb4a1d1a96d312',
    parentId: '0020000000000001',
    kind: 'CLIENT',
    name: 'x',
    timestamp: NOW_US - 10,
    duration: 5,
    localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 1 },
    annotations: [{ timestamp: NOW_US - 5, value: 'ws' }],
    tags: { a: 'b' },
  },
];

const otlpSeed = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [
        {
          scope: { name: 'lib' },
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              parentSpanId: 'eee19b7ec3c1b175',
              kind: 3,
              startTimeUnixNano: '1699999999000000000',
              endTimeUnixNano: '1699999999001000000',
              attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: '1' }] } } }],
              events: [{ timeUnixNano: '1699999999000500000', name: 'e' }],
              status: { code: 2, message: 'm' },
            },
          ],
        },
      ],
    },
  ],
};

describe('decoders never fail with anything but SpanFormatError', () => {
  test('Zipkin JSON, 3000 mutated bodies', () => {
    const random = rng(1);
    const outcomes = newOutcomes();
    for (let i = 0; i < 3000; i++) {
      const mutated = mutate(zipkinSeed, random);
      const body = JSON.stringify(mutated) ?? 'null';
      const candidates = Array.isArray(mutated) ? mutated.length : undefined;
      expectValid(() => decodeZipkinJson(body, { nowUs: NOW_US }), outcomes, candidates);
    }
    expectAllOutcomes(outcomes);
  });

  test('OTLP JSON, 3000 mutated bodies', () => {
    const random = rng(2);
    const outcomes = newOutcomes();
    for (let i = 0; i < 3000; i++) {
      const body = JSON.stringify(mutate(otlpSeed, random)) ?? 'null';
      expectValid(() => decodeOtlpJson(body, { nowUs: NOW_US }), outcomes);
    }
    expectAllOutcomes(outcomes);
  });

  test('Zipkin and OTLP protobuf, 3000 bodies with random bytes flipped or cut', () => {
    const random = rng(3);
    const zipkin = encodeZipkinProto(decodeZipkinJson(JSON.stringify(zipkinSeed), { nowUs: NOW_US }).spans);
    const schemas = protoSchemas();
    const withBytes = structuredClone(otlpSeed) as unknown as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const span = withBytes.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    for (const key of ['traceId', 'spanId', 'parentSpanId'])
      span[key] = Buffer.from(span[key] as string, 'hex');
    const otlp = schemas.otlpExportRequest.encode(schemas.otlpExportRequest.fromObject(withBytes)).finish();
    const outcomes = newOutcomes();
    for (let i = 0; i < 3000; i++) {
      for (const [original, decode] of [
        [zipkin, decodeZipkinProto],
        [otlp, decodeOtlpProto],
      ] as const) {
        const body = Uint8Array.from(original);
        for (let f = 0; f < 1 + Math.floor(random() * 3); f++)
          body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
        const cut = random() < 0.2 ? body.subarray(0, Math.floor(random() * body.length)) : body;
        expectValid(() => decode(cut, { nowUs: NOW_US }), outcomes);
      }
    }
    expectAllOutcomes(outcomes);
  });
});
