import { describe, expect, test } from 'vitest';
import { extractTraceContext, injectTraceContext, newSpanId, newTraceId } from './index.js';
import type { TraceContext } from './index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const PARENT = '0020000000000001';

describe('extractTraceContext', () => {
  test.each<[string, Record<string, string | string[] | undefined>, TraceContext | undefined]>([
    [
      'W3C sampled',
      { traceparent: `00-${TRACE}-${SPAN}-01` },
      { traceId: TRACE, spanId: SPAN, sampled: true },
    ],
    [
      'W3C not sampled',
      { traceparent: `00-${TRACE}-${SPAN}-00` },
      { traceId: TRACE, spanId: SPAN, sampled: false },
    ],
    [
      'W3C with tracestate',
      { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'vendor=x' },
      { traceId: TRACE, spanId: SPAN, sampled: true, traceState: 'vendor=x' },
    ],
    [
      'a future W3C version with extra fields',
      { traceparent: `01-${TRACE}-${SPAN}-03-extra` },
      { traceId: TRACE, spanId: SPAN, sampled: true },
    ],
    [
      'B3 single with parent',
      { b3: `${TRACE}-${SPAN}-1-${PARENT}` },
      { traceId: TRACE, spanId: SPAN, sampled: true, parentSpanId: PARENT },
    ],
    [
      'B3 single, 64-bit, no flags',
      { b3: `${TRACE.slice(16)}-${SPAN}` },
      { traceId: TRACE.slice(16), spanId: SPAN },
    ],
    [
      'B3 single debug',
      { b3: `${TRACE}-${SPAN}-d` },
      { traceId: TRACE, spanId: SPAN, sampled: true, debug: true },
    ],
    [
      'B3 multi',
      { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-parentspanid': PARENT, 'x-b3-sampled': '0' },
      { traceId: TRACE, spanId: SPAN, parentSpanId: PARENT, sampled: false },
    ],
    [
      'B3 multi with mixed-case names and upper-case hex',
      { 'X-B3-TraceId': TRACE.toUpperCase(), 'X-B3-SpanId': SPAN, 'X-B3-Flags': '1' },
      { traceId: TRACE, spanId: SPAN, sampled: true, debug: true },
    ],
    [
      'a repeated header uses the first value',
      { traceparent: [`00-${TRACE}-${SPAN}-01`, 'junk'] },
      { traceId: TRACE, spanId: SPAN, sampled: true },
    ],
    [
      'W3C wins over B3',
      { traceparent: `00-${TRACE}-${SPAN}-01`, b3: `${TRACE}-${PARENT}-0` },
      { traceId: TRACE, spanId: SPAN, sampled: true },
    ],
    [
      'B3 single wins over B3 multi',
      { b3: `${TRACE}-${SPAN}-1`, 'x-b3-traceid': TRACE, 'x-b3-spanid': PARENT },
      { traceId: TRACE, spanId: SPAN, sampled: true },
    ],
    [
      'a malformed traceparent falls back to B3',
      { traceparent: `00-${TRACE}-${SPAN}`, 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN },
      { traceId: TRACE, spanId: SPAN },
    ],
    ['no headers', {}, undefined],
    ['b3: 0 carries no ids', { b3: '0' }, undefined],
  ])('%s', (_label, headers, expected) => {
    expect(extractTraceContext(headers)).toEqual(expected);
  });

  test.each<[string, Record<string, string>]>([
    ['traceparent all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` }],
    ['traceparent all-zero span id', { traceparent: `00-${TRACE}-0000000000000000-01` }],
    ['traceparent version ff', { traceparent: `ff-${TRACE}-${SPAN}-01` }],
    ['traceparent upper case', { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` }],
    ['traceparent v00 with extra fields', { traceparent: `00-${TRACE}-${SPAN}-01-x` }],
    ['traceparent short span id', { traceparent: `00-${TRACE}-00f067aa0ba902-01` }],
    ['traceparent bad flags', { traceparent: `00-${TRACE}-${SPAN}-zz` }],
    ['b3 bad sampling', { b3: `${TRACE}-${SPAN}-x` }],
    ['b3 bad parent', { b3: `${TRACE}-${SPAN}-1-xyz` }],
    ['b3 too many parts', { b3: `${TRACE}-${SPAN}-1-${PARENT}-more` }],
    ['b3 24-hex trace id', { b3: `${TRACE.slice(8)}-${SPAN}` }],
    ['x-b3 missing span id', { 'x-b3-traceid': TRACE }],
    ['x-b3 non-hex trace id', { 'x-b3-traceid': 'not-a-trace-id!!', 'x-b3-spanid': SPAN }],
    ['x-b3 bad parent', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-parentspanid': '12' }],
  ])('ignores a malformed header: %s', (_label, headers) => {
    expect(extractTraceContext(headers)).toBeUndefined();
  });
});

describe('injectTraceContext', () => {
  test('writes both W3C and B3 multi-headers', () => {
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    injectTraceContext(
      { traceId: TRACE, spanId: SPAN, parentSpanId: PARENT, sampled: true, traceState: 'a=b' },
      headers,
    );
    expect(headers).toEqual({
      'content-type': 'text/plain',
      traceparent: `00-${TRACE}-${SPAN}-01`,
      tracestate: 'a=b',
      'X-B3-TraceId': TRACE,
      'X-B3-SpanId': SPAN,
      'X-B3-ParentSpanId': PARENT,
      'X-B3-Sampled': '1',
    });
  });

  test('replaces the headers it writes when present in any case; leaves b3 and others', () => {
    const headers: Record<string, string> = {
      'x-b3-traceid': 'aaaaaaaaaaaaaaaa',
      'x-b3-spanid': 'bbbbbbbbbbbbbbbb',
      'X-B3-Sampled': '1',
      b3: 'aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-1',
      Traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      TraceState: 'old=1',
      host: 'fn.default.localhost',
    };
    injectTraceContext({ traceId: TRACE, spanId: SPAN, sampled: false }, headers);
    expect(headers).toEqual({
      host: 'fn.default.localhost',
      b3: 'aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-1',
      traceparent: `00-${TRACE}-${SPAN}-00`,
      'X-B3-TraceId': TRACE,
      'X-B3-SpanId': SPAN,
      'X-B3-Sampled': '0',
    });
  });

  test('pads a 64-bit trace id for W3C, keeps it for B3', () => {
    const headers: Record<string, string> = {};
    injectTraceContext({ traceId: TRACE.slice(16), spanId: SPAN, sampled: false }, headers);
    expect(headers.traceparent).toBe(`00-0000000000000000${TRACE.slice(16)}-${SPAN}-00`);
    expect(headers['X-B3-TraceId']).toBe(TRACE.slice(16));
    expect(headers['X-B3-Sampled']).toBe('0');
  });

  test('debug becomes X-B3-Flags', () => {
    const headers: Record<string, string> = {};
    injectTraceContext({ traceId: TRACE, spanId: SPAN, sampled: true, debug: true }, headers);
    expect(headers['X-B3-Flags']).toBe('1');
    expect(headers['X-B3-Sampled']).toBeUndefined();
  });

  test.each<[string, TraceContext]>([
    ['sampled', { traceId: newTraceId(), spanId: newSpanId(), sampled: true }],
    ['not sampled', { traceId: newTraceId(), spanId: newSpanId(), sampled: false }],
    ['with tracestate', { traceId: newTraceId(), spanId: newSpanId(), sampled: true, traceState: 'k=v' }],
  ])('round trip through W3C: %s', (_label, ctx) => {
    const headers: Record<string, string> = {};
    injectTraceContext(ctx, headers);
    expect(extractTraceContext(headers)).toEqual(ctx);
  });

  test('round trip through B3 multi alone keeps the parent', () => {
    const ctx: TraceContext = {
      traceId: newTraceId(),
      spanId: newSpanId(),
      parentSpanId: newSpanId(),
      sampled: true,
    };
    const headers: Record<string, string> = {};
    injectTraceContext(ctx, headers);
    delete headers.traceparent;
    expect(extractTraceContext(headers)).toEqual(ctx);
  });
});
