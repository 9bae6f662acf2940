import { describe, expect, it } from 'vitest';
import { medianAbsoluteDeviation, medianInPlace, mulberry32, quantileSorted } from './stats.js';

describe('medianInPlace', () => {
  const random = mulberry32(7);
  const cases: [string, number[]][] = [
    ['one value', [5]],
    ['two values', [3, 1]],
    ['odd count', [9, 1, 5, 3, 7]],
    ['even count with ties', [2, 2, 2, 8, 8, 1]],
    ['constant', Array.from({ length: 1000 }, () => 4)],
    ['sorted', Array.from({ length: 1001 }, (_, i) => i)],
    ['reversed', Array.from({ length: 1000 }, (_, i) => 1000 - i)],
    ['random', Array.from({ length: 9999 }, () => Math.floor(random() * 500))],
    ['random, even', Array.from({ length: 10_000 }, () => random() * 1e6)],
  ];
  it.each(cases)('%s: the sorted median', (_name, values) => {
    const sorted = Float64Array.from(values).sort();
    expect(medianInPlace(Float64Array.from(values))).toBe(quantileSorted(sorted, 0.5));
  });

  it('is NaN when empty; the MAD is the median of the deviations', () => {
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100], 3)).toBe(1);
  });
});
