import { describe, expect, it } from 'vitest';
import { normaliseGoFlags } from './go-flags.js';

describe('normaliseGoFlags', () => {
  it.each([
    [
      ['-jsonFile', 'f.json'],
      ['--jsonFile', 'f.json'],
    ],
    [
      ['-rps=4', '-time', '10'],
      ['--rps=4', '--time', '10'],
    ],
    [
      ['--port', '9411'],
      ['--port', '9411'],
    ],
    [['-h'], ['-h']],
    [
      ['-rps', '-1'],
      ['--rps', '-1'],
    ],
    [
      ['--', '-notAFlag'],
      ['--', '-notAFlag'],
    ],
  ])('%j → %j', (input, expected) => {
    expect(normaliseGoFlags(input)).toEqual(expected);
  });
});
