/**
 * Merges row streams that are each sorted newest first (by their second field) into one
 * stream sorted newest first, pulling lazily so a search that stops early reads little.
 * Closing the merged stream closes every input.
 */

/** A row whose second element is its timestamp. */
export type TimedRow = readonly [number, number, ...unknown[]];

export function* mergeNewestFirst<R extends TimedRow>(streams: Iterable<R>[]): Generator<R> {
  const iterators = streams.map((s) => s[Symbol.iterator]());
  const heads: (R | undefined)[] = iterators.map((it) => {
    const next = it.next();
    return next.done === true ? undefined : next.value;
  });
  try {
    for (;;) {
      // A linear scan over at most a few dozen heads beats a heap at this size.
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (best < 0 || head[1] > (heads[best] as R)[1])) best = i;
      }
      if (best < 0) return;
      yield heads[best] as R;
      const next = (iterators[best] as Iterator<R>).next();
      heads[best] = next.done === true ? undefined : next.value;
    }
  } finally {
    // A consumer that stops early must still close every cursor (an open SQLite cursor
    // keeps its read transaction, and its connection, busy).
    for (const it of iterators) it.return?.();
  }
}
