import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, type Span } from '../../spans/index.js';
import { parseForwardTarget } from './forward-target.js';
import { encodeOtlpJson } from './otlp-json-encoder.js';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry-delay.js';

describe('parseForwardTarget', () => {
  it.each([
    ['otlp=http://tempo:4318', { protocol: 'otlp', url: 'http://tempo:4318/v1/traces' }],
    ['zipkin=http://zipkin:9411', { protocol: 'zipkin', url: 'http://zipkin:9411/api/v2/spans' }],
    ['otlp=https://otel.example/custom/path', { protocol: 'otlp', url: 'https://otel.example/custom/path' }],
  ])('%s', (value, expected) => {
    expect(parseForwardTarget(value)).toEqual(expected);
  });

  it.each([
    ['jaeger=http://x:14268', /--forward must be otlp=http:\/\/host:4318 or zipkin=http:\/\/host:9411/],
    ['otlp=tempo:4318', /needs an http\(s\) URL/],
    ['zipkin=', /--forward must be/],
  ])('refuses %s', (value, message) => {
    expect(() => parseForwardTarget(value)).toThrow(message);
  });
});

describe('retry delays', () => {
  it('backs off exponentially with full jitter, capped, never below Retry-After', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, undefined, 0.999_999, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(retryDelayMs(3, undefined, 0.5, options)).toBe(200);
    expect(retryDelayMs(1, 700, 0.1, options)).toBe(700);
    expect(retryDelayMs(1, 5000, 0.1, options)).toBe(1000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('2', 0)).toBe(2000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', Date.UTC(2026, 0, 1))).toBe(5000);
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
  });

  it('retries 408, 429, 502, 503, 504 and nothing else', () => {
    expect([400, 408, 413, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([
      408, 429, 502, 503, 504,
    ]);
  });
});

describe('encodeOtlpJson', () => {
  it('round-trips through the collector’s OTLP decoder', () => {
    const spans: Span[] = [
      {
        traceId: 'a000000000000001',
        id: '00000000000000a1',
        name: 'get /',
        kind: 'SERVER',
        timestamp: 1_767_225_600_000_123,
        duration: 4567,
        localEndpoint: { serviceName: 'frontend' },
        tags: { 'http.method': 'GET', error: 'boom', 'otel.status_code': 'ERROR' },
        annotations: [{ timestamp: 1_767_225_600_000_200, value: 'cache.miss' }],
      },
      {
        traceId: '0000000000000001a000000000000002',
        id: '00000000000000b1',
        parentId: '00000000000000a1',
        name: 'query',
        kind: 'CLIENT',
        timestamp: 1_767_225_600_001_000,
        duration: 10,
        localEndpoint: { serviceName: 'backend' },
        remoteEndpoint: { serviceName: 'db' },
        tags: { 'peer.service': 'db', 'otel.scope.name': 'pg-driver' },
      },
      {
        traceId: 'a000000000000003',
        id: '00000000000000c1',
        name: 'local',
        localEndpoint: { serviceName: 'backend' },
      },
    ];
    const decoded = decodeOtlpJson(encodeOtlpJson(spans), { nowUs: 1_767_225_700_000_000 });
    expect(decoded.errors).toEqual([]);
    const byId = new Map(decoded.spans.map((s) => [s.id, s]));
    expect(byId.get('00000000000000a1')).toEqual(spans[0]);
    expect(byId.get('00000000000000b1')).toEqual(spans[1]);
    expect(byId.get('00000000000000c1')).toEqual(spans[2]);
  });
});
