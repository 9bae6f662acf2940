import { describe, expect, test } from 'vitest';
import { newSpanId, newTraceId, normalizeSpanId, normalizeTraceId } from './index.js';

describe('ids', () => {
  test.each<[string, string | undefined]>([
    ['463ac35c9f6413ad48485a3953bb6124', '463ac35c9f6413ad48485a3953bb6124'],
    ['463AC35C9F6413AD48485A3953BB6124', '463ac35c9f6413ad48485a3953bb6124'],
    ['000000000000000048485a3953bb6124', '48485a3953bb6124'],
    ['48485a3953bb6124', '48485a3953bb6124'],
    ['0000000000000000', undefined],
    ['00000000000000000000000000000000', undefined],
    ['48485a3953bb612', undefined],
    ['48485a3953bb6124a', undefined],
    ['48485a3953bb612x', undefined],
    ['', undefined],
  ])('normalizeTraceId(%j) = %j', (input, expected) => {
    expect(normalizeTraceId(input)).toBe(expected);
  });

  test.each<[string, string | undefined]>([
    ['A2FB4A1D1A96D312', 'a2fb4a1d1a96d312'],
    ['0000000000000000', undefined],
    ['a2fb4a1d1a96d31', undefined],
    ['a2fb4a1d1a96d31é', undefined],
  ])('normalizeSpanId(%j) = %j', (input, expected) => {
    expect(normalizeSpanId(input)).toBe(expected);
  });

  test('new ids are valid, the right length and distinct', () => {
    const traces = new Set(Array.from({ length: 2000 }, () => newTraceId()));
    const spans = new Set(Array.from({ length: 2000 }, () => newSpanId()));
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(2000);
    for (const id of traces) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spans) expect(normalizeSpanId(id)).toBe(id);
  });
});
