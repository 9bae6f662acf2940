/**
 * Span factories for the collector's tests and benchmark (`makeSpan({ ...overrides })`),
 * with unique, valid ids and recent timestamps.
 */
import type { Span } from '../index.js';

let counter = 0;

/** A 16-hex id that is unique within this process and never all zeros. */
export function uniqueHexId(): string {
  counter += 1;
  return (counter * 2654435761 + 0x1000000000).toString(16).padStart(16, '0').slice(-16);
}

/** A valid Zipkin v2 span with fresh ids, starting 1 s ago, lasting 1 ms. */
export function makeSpan(overrides: Partial<Span> = {}): Span {
  return {
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
}
