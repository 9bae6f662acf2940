// The change log's ranges: timestamps coalesced into ranges, neighbours within the gap merged.
import { describe, expect, it } from 'vitest';
import { coalesceTimestamps } from './summary-change-ranges.js';

describe('coalesceTimestamps', () => {
  it.each([
    [[], []],
    [[5], [{ fromUs: 5, toUs: 5 }]],
    [
      [30, 1, 10, 200],
      [
        { fromUs: 1, toUs: 30 },
        { fromUs: 200, toUs: 200 },
      ],
    ],
  ])('%j with a gap of 50 → %j', (input, expected) => {
    expect(coalesceTimestamps(input, 50)).toEqual(expected);
  });
});
