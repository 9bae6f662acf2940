import { describe, expect, test } from 'vitest';
import { toJaegerTrace } from './index.js';
import type { Span } from './index.js';
import { makeSpan } from './testing/index.js';

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const T0 = 1_700_000_000_000_000;

/** What the test's spans share, as overrides of the one span factory. */
const BASE = {
  traceId: TRACE,
  id: '0000000000000001',
  name: 'get /',
  timestamp: T0,
  kind: undefined,
  tags: undefined,
} satisfies Partial<Span>;

describe('toJaegerTrace', () => {
  /**
   *   frontend: get / (SERVER)          id 1
   *   └── frontend: call search (CLIENT) id 2, remote search 10.0.0.2:8080, error "timeout"
   *       └── search: search (SERVER)   id 3, annotation "cache miss"
   */
  const spans: Span[] = [
    makeSpan({ ...BASE, kind: 'SERVER', localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1' } }),
    makeSpan({
      ...BASE,
      id: '0000000000000002',
      parentId: '0000000000000001',
      name: 'call search',
      kind: 'CLIENT',
      timestamp: T0 + 10,
      duration: 800,
      localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1' },
      remoteEndpoint: { serviceName: 'search', ipv4: '10.0.0.2', port: 8080 },
      tags: { error: 'timeout', 'http.path': '/search' },
    }),
    makeSpan({
      ...BASE,
      id: '0000000000000003',
      parentId: '0000000000000002',
      name: 'search',
      kind: 'SERVER',
      timestamp: T0 + 20,
      duration: 700,
      localEndpoint: { serviceName: 'search' },
      annotations: [{ timestamp: T0 + 30, value: 'cache miss' }],
      tags: { error: 'true' },
    }),
  ];

  test('has the shape of the Jaeger query API', () => {
    const trace = toJaegerTrace(spans);
    expect(trace.traceID).toBe(TRACE);
    expect(trace.warnings).toBeNull();
    expect(trace.processes).toEqual({
      p1: { serviceName: 'frontend', tags: [{ key: 'ip', type: 'string', value: '10.0.0.1' }] },
      p2: { serviceName: 'search', tags: [] },
    });
    expect(trace.spans[1]).toEqual({
      traceID: TRACE,
      spanID: '0000000000000002',
      flags: 1,
      operationName: 'call search',
      references: [{ refType: 'CHILD_OF', traceID: TRACE, spanID: '0000000000000001' }],
      startTime: T0 + 10,
      duration: 800,
      tags: [
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'peer.service', type: 'string', value: 'search' },
        { key: 'peer.ipv4', type: 'string', value: '10.0.0.2' },
        { key: 'peer.port', type: 'int64', value: 8080 },
        { key: 'error', type: 'bool', value: true },
        { key: 'error.message', type: 'string', value: 'timeout' },
        { key: 'http.path', type: 'string', value: '/search' },
      ],
      logs: [],
      processID: 'p1',
      warnings: null,
    });
  });

  test('roots have no references; annotations become logs; error "true" is only the bool', () => {
    const trace = toJaegerTrace(spans);
    expect(trace.spans[0]!.references).toEqual([]);
    const search = trace.spans[2]!;
    expect(search.processID).toBe('p2');
    expect(search.logs).toEqual([
      { timestamp: T0 + 30, fields: [{ key: 'event', type: 'string', value: 'cache miss' }] },
    ]);
    expect(search.tags.filter((t) => t.key.startsWith('error'))).toEqual([
      { key: 'error', type: 'bool', value: true },
    ]);
  });

  test('does not mutate its input', () => {
    const copy = structuredClone(spans);
    toJaegerTrace(spans);
    expect(spans).toEqual(copy);
  });

  test('a span without service, name, timestamp or duration still renders', () => {
    const trace = toJaegerTrace([{ traceId: TRACE, id: '00000000000000aa', debug: true }]);
    expect(trace.processes).toEqual({ p1: { serviceName: 'unknown', tags: [] } });
    expect(trace.spans[0]).toMatchObject({ operationName: '', startTime: 0, duration: 0, flags: 2 });
  });

  /**
   * Zipkin's shared span: the client (gateway) and server (fn) halves share id 5; the
   * server's child has parentId 5. Jaeger needs unique ids:
   *   gateway: call (CLIENT, id 5)
   *   └── fn: call (SERVER, shared, new id) ← child of the client half
   *       └── fn: work (parentId 5 → the server half's new id)
   */
  test('shared client/server span ids are split as Jaeger does', () => {
    const shared = '0000000000000005';
    const trace = toJaegerTrace([
      makeSpan({ ...BASE, id: shared, kind: 'SERVER', shared: true, localEndpoint: { serviceName: 'fn' } }),
      makeSpan({
        ...BASE,
        id: '0000000000000009',
        parentId: shared,
        name: 'work',
        localEndpoint: { serviceName: 'fn' },
      }),
      makeSpan({ ...BASE, id: shared, kind: 'CLIENT', localEndpoint: { serviceName: 'gateway' } }),
    ]);
    const client = trace.spans.find((s) => s.tags.some((t) => t.value === 'client'))!;
    const server = trace.spans.find((s) => s.tags.some((t) => t.value === 'server'))!;
    const work = trace.spans.find((s) => s.operationName === 'work')!;
    expect(client.spanID).toBe(shared);
    expect(server.spanID).not.toBe(shared);
    expect(server.spanID).toMatch(/^[0-9a-f]{16}$/);
    expect(server.references).toEqual([{ refType: 'CHILD_OF', traceID: TRACE, spanID: shared }]);
    expect(work.references[0]!.spanID).toBe(server.spanID);
    expect(new Set(trace.spans.map((s) => s.spanID)).size).toBe(3);
  });

  test('an empty list gives an empty trace', () => {
    expect(toJaegerTrace([])).toEqual({ traceID: '', spans: [], processes: {}, warnings: null });
  });
});
