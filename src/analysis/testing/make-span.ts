/**
 * Test support for the analysis: a small span factory (the project's one factory is
 * landing in `src/spans/testing/`; switch when it does) and helpers that build a trace
 * from a compact description, times in µs from a fixed origin.
 */
import type { Span } from '../../spans/index.js';

/** 2026-01-01T00:00:00Z in epoch µs: span times in tests are offsets from it. */
export const T0_US = 1_767_225_600_000_000;

let nextId = 1;

/** A span with defaults: service `svc`, name `op`, start T0, 100 µs. */
export function makeSpan(overrides: Partial<Span> = {}): Span {
  const id = overrides.id ?? (nextId++).toString(16).padStart(16, '0');
  return {
    traceId: 'aaaaaaaaaaaaaaaa',
    id,
    name: 'op',
    timestamp: T0_US,
    duration: 100,
    localEndpoint: { serviceName: 'svc' },
    ...overrides,
  };
}

/** A compact span: `[id, parentId | '', service, name, startOffsetUs, durationUs, extra?]`. */
export type SpanRow = [string, string, string, string, number, number, Partial<Span>?];

/** Spans of one trace from rows (ids are padded to 16 hex characters). */
export function traceOf(rows: readonly SpanRow[], traceId = 'aaaaaaaaaaaaaaaa'): Span[] {
  const pad = (id: string): string => id.padStart(16, '0');
  return rows.map(([id, parent, service, name, start, duration, extra]) =>
    makeSpan({
      traceId,
      id: pad(id),
      ...(parent !== '' ? { parentId: pad(parent) } : {}),
      name,
      timestamp: T0_US + start,
      duration,
      localEndpoint: { serviceName: service },
      ...extra,
    }),
  );
}
