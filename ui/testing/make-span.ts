/**
 * A small span factory for the UI's tests and benchmark (Zipkin v2 JSON, as the collector
 * ingests it). Switch to the project's `makeSpan` (src/spans/testing/) once it lands.
 */
import type { ZipkinSpan } from '../src/model/zipkin-span.js';

let counter = 0;

/** A 16-hex id, unique within the process. */
export function hexId(prefix = 1): string {
  counter++;
  return (prefix.toString(16) + counter.toString(16).padStart(15, '0')).slice(-16).padStart(16, '0');
}

/** A span with sensible defaults; `overrides` wins. */
export function makeSpan(overrides: Partial<ZipkinSpan> = {}): ZipkinSpan {
  return {
    traceId: overrides.traceId ?? hexId(0xa),
    id: overrides.id ?? hexId(0xb),
    name: 'get /',
    timestamp: Date.now() * 1000,
    duration: 1000,
    localEndpoint: { serviceName: 'frontend' },
    ...overrides,
  };
}
