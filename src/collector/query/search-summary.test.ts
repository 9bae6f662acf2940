/**
 * The web UI's search lines, from spans. The test trace:
 *
 *   gateway "get /cart"  |0================================100|
 *     cart "load"          |10=====40|                          (http.status_code=503: an error)
 *     db "query"                      |50====80|                (error tag)
 *   orphan: db "late"  (parent not in the trace)          |90=120|
 */
import { describe, expect, it } from 'vitest';
import { makeSpan } from '../../spans/testing/index.js';
import { summarizeForSearch } from './search-summary.js';

const traceId = 'a'.repeat(16);
const t0 = 1_700_000_000_000_000;
const root = makeSpan({
  traceId,
  name: 'get /cart',
  timestamp: t0,
  duration: 100,
  localEndpoint: { serviceName: 'gateway' },
});
const cart = makeSpan({
  traceId,
  parentId: root.id,
  name: 'load',
  timestamp: t0 + 10,
  duration: 30,
  localEndpoint: { serviceName: 'cart' },
  tags: { 'http.status_code': '503' },
});
const query = makeSpan({
  traceId,
  parentId: cart.id,
  name: 'query',
  timestamp: t0 + 50,
  duration: 30,
  localEndpoint: { serviceName: 'db' },
  tags: { error: 'timeout' },
});
const orphan = makeSpan({
  traceId,
  parentId: 'f'.repeat(16),
  name: 'late',
  timestamp: t0 + 90,
  duration: 30,
  localEndpoint: { serviceName: 'db' },
});

describe('summarizeForSearch', () => {
  it('finds the earliest root, the time span, errors and spans per service', () => {
    expect(summarizeForSearch([orphan, query, cart, root])).toEqual({
      traceId,
      rootService: 'gateway',
      rootName: 'get /cart',
      startUs: t0,
      durationUs: 120,
      spanCount: 4,
      errorCount: 2,
      services: [
        { name: 'db', count: 2 },
        { name: 'cart', count: 1 },
        { name: 'gateway', count: 1 },
      ],
    });
  });

  it('takes an orphan as the root when no span lacks a parent', () => {
    const s = summarizeForSearch([orphan]);
    expect([s.rootService, s.rootName, s.errorCount]).toEqual(['db', 'late', 0]);
  });

  it('summarises spans without timestamps as an empty time span', () => {
    const { timestamp: _t, ...noTime } = root;
    expect(summarizeForSearch([noTime])).toMatchObject({ startUs: 0, durationUs: 0, spanCount: 1 });
  });
});
