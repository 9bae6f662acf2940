/**
 * Every bad-input rule of the ingest and query endpoints, as a table: the status, a clear
 * reason, and a server that keeps serving afterwards.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTraceStore } from '../store/index.js';
import type { RunningCollector } from './index.js';
import { startCollector } from './index.js';
import { makeSpan } from '../spans/testing/index.js';

const MAX_BODY = 64 * 1024;
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    otlpPort: 0,
    store: await openTraceStore({ kind: 'memory' }),
    maxBodyBytes: MAX_BODY,
    log: () => undefined,
  });
});
afterAll(() => collector?.close());

const json = (value: unknown): string => JSON.stringify(value);
const gzip = (text: string | Buffer): Buffer => zlib.gzipSync(text);
const otlpJson = (spanOverrides: Record<string, unknown>[]): string =>
  json({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otlp-svc' } }] },
        scopeSpans: [
          {
            spans: spanOverrides.map((o, i) => ({
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: `eee19b7ec3c1b17${i}`,
              name: 'op',
              kind: 2,
              startTimeUnixNano: String(BigInt(Date.now() - 1000) * 1_000_000n),
              endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
              ...o,
            })),
          },
        ],
      },
    ],
  });

interface Case {
  name: string;
  method?: string;
  path: string;
  port?: 'otlp';
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  /** Matched against the plain-text reason, or the JSON answer for Jaeger and OTLP. */
  reason: RegExp;
}

const CASES: Case[] = [
  // Ingest: Zipkin
  {
    name: 'malformed JSON',
    path: '/api/v2/spans',
    body: '[{"traceId":',
    status: 400,
    reason: /malformed JSON/,
  },
  {
    name: 'JSON that is not an array',
    path: '/api/v2/spans',
    body: '{"a":1}',
    status: 400,
    reason: /array/i,
  },
  {
    name: 'malformed protobuf',
    path: '/api/v2/spans',
    headers: { 'content-type': 'application/x-protobuf' },
    body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]),
    status: 400,
    reason: /malformed protobuf/,
  },
  {
    name: 'Zipkin v1 JSON',
    path: '/api/v2/spans',
    body: json([{ traceId: 'a'.repeat(16), id: 'b'.repeat(16), name: 'x', binaryAnnotations: [] }]),
    status: 400,
    reason: /Zipkin v1.*JSON_V2/s,
  },
  {
    name: 'POST to the v1 endpoint',
    path: '/api/v1/spans',
    body: '[]',
    status: 400,
    reason: /Zipkin v1 is not supported/,
  },
  {
    name: 'every span with a bad id',
    path: '/api/v2/spans',
    body: json([makeSpan({ id: 'xyz' }), makeSpan({ traceId: '123' })]),
    status: 400,
    reason: /every span was rejected \(2\)/,
  },
  {
    name: 'one bad span of two (non-hex id): keeps the good one',
    path: '/api/v2/spans',
    body: json([makeSpan(), makeSpan({ id: 'zzzzzzzzzzzzzzzz' })]),
    status: 202,
    reason: /accepted 1 spans, rejected 1: .*id/,
  },
  {
    name: 'negative timestamp',
    path: '/api/v2/spans',
    body: json([makeSpan(), makeSpan({ timestamp: -5 })]),
    status: 202,
    reason: /rejected 1: .*timestamp/,
  },
  {
    name: 'absurd timestamp (year 2500)',
    path: '/api/v2/spans',
    body: json([makeSpan(), makeSpan({ timestamp: 16_725_225_600_000_000 })]),
    status: 202,
    reason: /rejected 1: .*timestamp/,
  },
  {
    name: 'unknown content type',
    path: '/api/v2/spans',
    headers: { 'content-type': 'text/plain' },
    body: '[]',
    status: 415,
    reason: /unsupported Content-Type "text\/plain": send application\/json or application\/x-protobuf/,
  },
  {
    name: 'unknown content encoding',
    path: '/api/v2/spans',
    headers: { 'content-encoding': 'br' },
    body: '[]',
    status: 415,
    reason: /unsupported Content-Encoding "br"/,
  },
  {
    name: 'corrupt gzip',
    path: '/api/v2/spans',
    headers: { 'content-encoding': 'gzip' },
    body: 'plain',
    status: 400,
    reason: /not valid gzip/,
  },
  {
    name: 'body over the limit',
    path: '/api/v2/spans',
    body: `[${' '.repeat(MAX_BODY)}]`,
    status: 413,
    reason: new RegExp(`larger than the limit of ${MAX_BODY} bytes`),
  },
  {
    name: 'gzip bomb (small body, huge when inflated)',
    path: '/api/v2/spans',
    headers: { 'content-encoding': 'gzip' },
    body: gzip(`[${' '.repeat(50 * MAX_BODY)}]`),
    status: 413,
    reason: /decompressed body is larger than the limit/,
  },
  // Ingest: OTLP
  {
    name: 'OTLP without content type',
    path: '/v1/traces',
    port: 'otlp',
    // A Buffer body, because fetch labels a string body text/plain.
    body: Buffer.from('{}'),
    status: 415,
    reason: /missing Content-Type/,
  },
  {
    name: 'OTLP malformed JSON',
    path: '/v1/traces',
    port: 'otlp',
    headers: { 'content-type': 'application/json' },
    body: '{"resourceSpans":[',
    status: 400,
    reason: /malformed JSON/,
  },
  {
    name: 'OTLP partial batch (base64 span id)',
    path: '/v1/traces',
    port: 'otlp',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzip(otlpJson([{}, { spanId: '7uGbfsPBsXE=' }])),
    status: 200,
    reason: /^\{"partialSuccess":\{"rejectedSpans":"1","errorMessage":".*spanId.*"\}\}$/,
  },
  // Methods and paths
  {
    name: 'GET on the OTLP ingest path',
    method: 'GET',
    path: '/v1/traces',
    status: 405,
    reason: /not allowed/,
  },
  { name: 'DELETE on spans', method: 'DELETE', path: '/api/v2/spans', status: 405, reason: /not allowed/ },
  { name: 'unknown path', method: 'GET', path: '/api/v3/whatever', status: 404, reason: /no such path/ },
  {
    name: 'unknown path on the OTLP port',
    port: 'otlp',
    method: 'GET',
    path: '/api/v2/services',
    status: 404,
    reason: /no such path/,
  },
  // Zipkin queries
  {
    name: 'maxDuration alone',
    method: 'GET',
    path: '/api/v2/traces?maxDuration=10',
    status: 400,
    reason: /^maxDuration is only valid with minDuration$/,
  },
  {
    name: 'non-numeric limit',
    method: 'GET',
    path: '/api/v2/traces?limit=ten',
    status: 400,
    reason: /invalid limit "ten"/,
  },
  { name: 'limit 0', method: 'GET', path: '/api/v2/traces?limit=0', status: 400, reason: /^limit <= 0$/ },
  {
    name: 'lookback 0',
    method: 'GET',
    path: '/api/v2/traces?lookback=0',
    status: 400,
    reason: /^lookback <= 0$/,
  },
  {
    name: 'bad trace id',
    method: 'GET',
    path: '/api/v2/trace/xyz',
    status: 400,
    reason: /invalid trace id "xyz"/,
  },
  {
    name: 'absent trace',
    method: 'GET',
    path: `/api/v2/trace/${'a'.repeat(32)}`,
    status: 404,
    reason: /not found/,
  },
  {
    name: 'traceMany without ids',
    method: 'GET',
    path: '/api/v2/traceMany?traceIds=',
    status: 400,
    reason: /traceIds parameter is empty/,
  },
  {
    name: 'dependencies without endTs',
    method: 'GET',
    path: '/api/v2/dependencies?lookback=10',
    status: 400,
    reason: /endTs is required/,
  },
  {
    name: 'span names without serviceName',
    method: 'GET',
    path: '/api/v2/spans',
    status: 400,
    reason: /serviceName is required/,
  },
  {
    name: 'autocompleteValues without key',
    method: 'GET',
    path: '/api/v2/autocompleteValues',
    status: 400,
    reason: /key is required/,
  },
  // Jaeger queries (errors in the envelope)
  {
    name: 'Jaeger search without service',
    method: 'GET',
    path: '/api/traces',
    status: 400,
    reason: /"data":null.*"errors":\[\{"code":400,"msg":"parameter 'service' is required"\}\]/,
  },
  {
    name: 'Jaeger bad duration',
    method: 'GET',
    path: '/api/traces?service=a&minDuration=soon',
    status: 400,
    reason: /invalid minDuration \\"soon\\"/,
  },
  {
    name: 'Jaeger absent trace',
    method: 'GET',
    path: `/api/traces/${'b'.repeat(16)}`,
    status: 404,
    reason: /"code":404,"msg":"trace not found"/,
  },
  {
    name: 'Jaeger bad spanKind',
    method: 'GET',
    path: '/api/operations?service=a&spanKind=sideways',
    status: 400,
    reason: /invalid spanKind \\"sideways\\"/,
  },
];

describe('bad input', () => {
  it.each(CASES)('$name → $status', async (c) => {
    const base = c.port === 'otlp' ? collector.otlpUrl : collector.url;
    const res = await fetch(`${base}${c.path}`, {
      method: c.method ?? 'POST',
      headers:
        c.body !== undefined && !c.headers?.['content-type'] && c.port !== 'otlp'
          ? { 'content-type': 'application/json', ...c.headers }
          : c.headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    expect(text.trim()).toMatch(c.reason);
    if (c.status === 405) expect(res.headers.get('allow')).toBeTruthy();
    // The server keeps serving after every bad request.
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
  });

  it('counts received, accepted and rejected spans per transport', async () => {
    const m = collector.metrics();
    expect(m.byTransport.zipkin_json.rejected).toBeGreaterThanOrEqual(5);
    expect(m.byTransport.zipkin_json.accepted).toBeGreaterThanOrEqual(3);
    expect(m.byTransport.otlp_json).toMatchObject({ accepted: 1, rejected: 1, received: 2 });
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    expect(text).toMatch(/^hivelab_spans_rejected_total\{transport="otlp",encoding="json"\} 1$/m);
    expect(text).toMatch(/^hivelab_ingest_failed_requests_total\{status="413"\} 2$/m);
  });
});
