import { describe, expect, it } from 'vitest';
import { bundleIsFresh } from './runner-path.js';

describe('bundleIsFresh', () => {
  const recorded = { 'a.js': 'h1', 'b.js': 'h2' };
  it('takes the bundle only when every input still has its recorded content', () => {
    const current: Record<string, string> = { 'a.js': 'h1', 'b.js': 'h2' };
    expect(bundleIsFresh(recorded, (input) => current[input])).toBe(true);
    expect(bundleIsFresh(recorded, (input) => (input === 'b.js' ? 'changed' : current[input]))).toBe(false);
    expect(bundleIsFresh(recorded, (input) => (input === 'a.js' ? undefined : current[input]))).toBe(false);
    expect(bundleIsFresh({}, () => 'h')).toBe(false);
  });
});
