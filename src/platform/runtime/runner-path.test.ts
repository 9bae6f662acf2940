import { describe, expect, it } from 'vitest';
import { bundleIsFresh } from './runner-path.js';

describe('bundleIsFresh', () => {
  it('takes the bundle only when it exists and no input is newer or missing', () => {
    expect(bundleIsFresh(100, [90, 100])).toBe(true);
    expect(bundleIsFresh(100, [90, 101])).toBe(false);
    expect(bundleIsFresh(100, [90, undefined])).toBe(false);
    expect(bundleIsFresh(undefined, [90])).toBe(false);
    expect(bundleIsFresh(100, [])).toBe(false);
  });
});
