import { expect, it } from 'vitest';
import { mergeNewestFirst } from './merge-newest-first.js';

it('merges newest first and closes every input when the consumer stops early', () => {
  const closed: number[] = [];
  function* stream(index: number, rows: [number, number][]): Generator<[number, number]> {
    try {
      yield* rows;
    } finally {
      closed.push(index);
    }
  }
  const merged = mergeNewestFirst([
    stream(0, [
      [1, 90],
      [2, 50],
      [3, 10],
    ]),
    stream(1, []),
    stream(2, [
      [4, 70],
      [5, 60],
    ]),
  ]);
  const taken: number[] = [];
  for (const [id] of merged) {
    taken.push(id);
    if (taken.length === 3) break;
  }
  expect(taken).toEqual([1, 4, 5]);
  expect(closed.sort()).toEqual([0, 1, 2]);
  expect([...mergeNewestFirst([stream(3, [[1, 5]]), stream(4, [[2, 9]])])].map(([id]) => id)).toEqual([2, 1]);
});
