/**
 * Test support for the analysis: a trace from a compact description, times in µs from a
 * fixed origin, made with the project's one span factory (`makeSpan`, spans/testing).
 */
import type { Span } from '../../spans/index.js';
import { makeSpan } from '../../spans/testing/index.js';

/** 2026-01-01T00:00:00Z in epoch µs: span times in tests are offsets from it. */
export const T0_US = 1_767_225_600_000_000;

/** A compact span: `[id, parentId | '', service, name, startOffsetUs, durationUs, extra?]`. */
export type SpanRow = [string, string, string, string, number, number, Partial<Span>?];

/** Spans of one trace from rows (ids are padded to 16 hex characters). */
export function traceOf(rows: readonly SpanRow[], traceId = 'aaaaaaaaaaaaaaaa'): Span[] {
  const pad = (id: string): string => id.padStart(16, '0');
  return rows.map(([id, parent, service, name, start, duration, extra]) =>
    makeSpan({
      kind: undefined,
      tags: undefined,
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
