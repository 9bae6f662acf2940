import { describe, expect, it } from 'vitest';
import { normalizeGoFlags } from './go-flags.js';

describe('normalizeGoFlags', () => {
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
    expect(normalizeGoFlags(input)).toEqual(expected);
  });
});
