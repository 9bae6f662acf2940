import { describe, expect, it } from 'vitest';
import { parseGoDurationUs } from './go-duration.js';

describe('parseGoDurationUs (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['60s', 60_000_000],
    ['1m30s', 90_000_000],
    ['1.5h', 5_400_000_000],
    ['.5s', 500_000],
    ['500us', 500],
    ['2000ns', 2],
  ])('%s = %d µs', (text, us) => {
    expect(parseGoDurationUs(text)).toBe(us);
  });

  it.each(['', '10', 'ms', '1.5 s', '-1s', '1d', '1s2'])('"%s" is not a duration', (text) => {
    expect(parseGoDurationUs(text)).toBeUndefined();
  });
});
