import { describe, expect, it } from 'vitest';
import { incomingTrace, propagationHeaders } from './trace-propagation.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('incomingTrace', () => {
  it.each([
    ['W3C traceparent', { traceparent: `00-${TRACE}-${SPAN}-01` }],
    ['B3 single', { b3: `${TRACE}-${SPAN}-1` }],
    ['B3 multi', { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' }],
  ])('continues the caller trace from %s', (_form, headers) => {
    expect(incomingTrace(headers)).toMatchObject({ traceId: TRACE, parentId: SPAN, sampled: true });
  });

  it('starts a new sampled trace when the caller sent no context', () => {
    const trace = incomingTrace({ host: 'fn.default.localhost', 'x-b3-spanid': SPAN });
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.traceId).not.toBe(TRACE);
    expect(trace).toMatchObject({ parentId: undefined, sampled: true });
  });

  it('keeps a "not sampled" decision', () => {
    expect(incomingTrace({ b3: `${TRACE}-${SPAN}-0` }).sampled).toBe(false);
  });
});

describe('propagationHeaders', () => {
  it('passes W3C and B3 forms with lower-case names, the client span as the parent', () => {
    const headers = propagationHeaders(
      incomingTrace({ b3: `${TRACE}-${SPAN}-1` }),
      'c'.repeat(16),
      'g'.repeat(16),
    );
    expect(headers).toMatchObject({
      b3: `${TRACE}-${'c'.repeat(16)}-1-${'g'.repeat(16)}`,
      traceparent: `00-${TRACE}-${'c'.repeat(16)}-01`,
      'x-b3-traceid': TRACE,
      'x-b3-spanid': 'c'.repeat(16),
      'x-b3-parentspanid': 'g'.repeat(16),
    });
    expect(Object.keys(headers).every((k) => k === k.toLowerCase())).toBe(true);
  });
});
