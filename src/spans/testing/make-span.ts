/**
 * The one span factory of hivelab's tests and benchmarks (`makeSpan({ ...overrides })`),
 * with unique, valid ids and recent timestamps. A test states what matters to it as
 * overrides; an override of `undefined` removes a default (`kind: undefined`).
 */
import type { Span } from '../index.js';

let counter = 0;

/** A 16-hex id that is unique within this process and never all zeros. */
export function uniqueHexId(): string {
  counter += 1;
  return (counter * 2654435761 + 0x1000000000).toString(16).padStart(16, '0').slice(-16);
}

/** A valid Zipkin v2 span: fresh ids, `frontend` SERVER `get`, started 1 s ago, lasting 1 ms. */
export function makeSpan(overrides: Partial<Span> = {}): Span {
  const span: Span = {
    traceId: uniqueHexId(),
    id: uniqueHexId(),
    name: 'get',
    kind: 'SERVER',
    timestamp: Date.now() * 1000 - 1_000_000,
    duration: 1_000,
    localEndpoint: { serviceName: 'frontend' },
    tags: { 'http.method': 'GET' },
    ...overrides,
  };
  for (const key of Object.keys(span) as (keyof Span)[]) {
    if (span[key] === undefined) Reflect.deleteProperty(span, key);
  }
  return span;
}
