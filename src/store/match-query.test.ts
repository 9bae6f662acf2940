import { describe, expect, it } from 'vitest';
import type { Span } from '../spans/index.js';
import { makeSpan } from '../spans/testing/index.js';
import { matchesQuery } from './match-query.js';
import type { TraceQuery } from './trace-store.js';

const T0 = 1_700_000_000_000_000;
/** What the trace's spans share, as overrides of the one span factory: no defaults but these. */
const BASE = {
  traceId: '01',
  timestamp: T0,
  duration: 10,
  name: undefined,
  kind: undefined,
  localEndpoint: undefined,
  tags: undefined,
} satisfies Partial<Span>;
const window = { endTsMs: T0 / 1000 + 1000, lookbackMs: 10_000, limit: 10 };

/*
 * root: web "get" (SERVER, 100 µs, tag http.method=GET)
 *  ├ web "call-db" (CLIENT → db, 50 µs)
 *  └ api "work" (10 µs, annotation "retry", tag error)
 */
const trace: Span[] = [
  makeSpan({
    ...BASE,
    id: 'a',
    name: 'get',
    kind: 'SERVER',
    duration: 100,
    localEndpoint: { serviceName: 'web' },
    tags: { 'http.method': 'GET' },
  }),
  makeSpan({
    ...BASE,
    id: 'b',
    parentId: 'a',
    name: 'call-db',
    kind: 'CLIENT',
    duration: 50,
    timestamp: T0 + 5,
    localEndpoint: { serviceName: 'web' },
    remoteEndpoint: { serviceName: 'db' },
  }),
  makeSpan({
    ...BASE,
    id: 'c',
    parentId: 'a',
    name: 'work',
    timestamp: T0 + 7,
    localEndpoint: { serviceName: 'api' },
    tags: { error: '' },
    annotations: [{ timestamp: T0 + 8, value: 'retry' }],
  }),
];

describe('matchesQuery (Zipkin QueryRequest.test)', () => {
  const cases: [string, Partial<TraceQuery>, boolean][] = [
    ['no criteria', {}, true],
    ['service', { serviceName: 'api' }, true],
    ['unknown service', { serviceName: 'nope' }, false],
    ['span name of another span of the service', { serviceName: 'web', spanName: 'call-db' }, true],
    ['span name of another service', { serviceName: 'web', spanName: 'work' }, false],
    ['remote service', { serviceName: 'web', remoteServiceName: 'db' }, true],
    ['remote service from the wrong service', { serviceName: 'api', remoteServiceName: 'db' }, false],
    ['tag equality', { annotationQuery: { 'http.method': 'GET' } }, true],
    ['tag inequality', { annotationQuery: { 'http.method': 'POST' } }, false],
    ['tag key present', { annotationQuery: { error: '' } }, true],
    ['annotation value', { annotationQuery: { retry: '' } }, true],
    [
      'terms met by different spans of the trace',
      { annotationQuery: { retry: '', 'http.method': 'GET' } },
      true,
    ],
    ['terms met outside the service', { serviceName: 'web', annotationQuery: { retry: '' } }, false],
    ['minDuration met by the service', { serviceName: 'web', minDurationUs: 100 }, true],
    ['minDuration not met by the service', { serviceName: 'api', minDurationUs: 11 }, false],
    ['min and max duration', { minDurationUs: 40, maxDurationUs: 60 }, true],
    ['max duration excludes all', { minDurationUs: 60, maxDurationUs: 90 }, false],
    ['window end before the trace', { endTsMs: T0 / 1000 - 1 }, false],
    ['window end at the trace start (inclusive)', { endTsMs: T0 / 1000 }, true],
    ['window start at the trace start (exclusive)', { endTsMs: T0 / 1000 + 5, lookbackMs: 5 }, false],
  ];
  for (const [name, overrides, expected] of cases) {
    it(`${name} → ${String(expected)}`, () => {
      expect(matchesQuery(trace, { ...window, ...overrides })).toBe(expected);
    });
  }

  it('places a trace by its root, not by a child that started earlier', () => {
    const skewed = [trace[0]!, { ...trace[1]!, timestamp: T0 - 5_000_000 }];
    expect(matchesQuery(skewed, { ...window, endTsMs: T0 / 1000 - 1000, lookbackMs: 10_000 })).toBe(false);
    expect(matchesQuery(skewed, window)).toBe(true);
  });
});
