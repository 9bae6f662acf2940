/**
 * Small numeric helpers (pure): growable float arrays, quantiles, mean and standard
 * deviation, the median absolute deviation, and a seeded reservoir sample for medians of
 * large groups in bounded memory.
 */

/** A Float64Array that grows; `values()` views the filled part, `sorted()` a sorted copy (kept until the next push). */
export class FloatColumn {
  #data = new Float64Array(16);
  #length = 0;
  #sorted: Float64Array | undefined;

  push(value: number): void {
    this.#sorted = undefined;
    if (this.#length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  at(index: number): number {
    return this.#data[index] as number;
  }

  values(): Float64Array {
    return this.#data.subarray(0, this.#length);
  }

  /** The values in ascending order (a copy, computed once per state of the column). */
  sorted(): Float64Array {
    this.#sorted ??= Float64Array.from(this.values()).sort();
    return this.#sorted;
  }
}

/** The q-quantile (0..1) of ascending `sorted`, linearly interpolated; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(n - 1, lower + 1);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

/** A sorted copy. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export interface Moments {
  mean: number;
  /** Population standard deviation (divides by n), as numpy's default. */
  std: number;
}

export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n) };
}

/** Moves the k-th smallest of `a` (0-based) to `a[k]`, smaller ones before it (Hoare's quickselect, in place). */
function selectInPlace(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot: sorted or constant data stays linear.
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The median of `values` as `quantileSorted(sorted, 0.5)` gives it, in linear time; reorders `values`. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const lower = Math.floor((n - 1) / 2);
  selectInPlace(values, lower);
  const low = values[lower] as number;
  if ((n - 1) % 2 === 0) return low;
  // The next order statistic is the smallest of what follows.
  let high = Infinity;
  for (let i = lower + 1; i < n; i++) if ((values[i] as number) < high) high = values[i] as number;
  return low + (high - low) * 0.5;
}

/** Median absolute deviation from `median` (unscaled). */
export function medianAbsoluteDeviation(values: ArrayLike<number>, median: number): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] as number) - median);
  return medianInPlace(deviations);
}

/** Mulberry32: a small seeded PRNG, so samples (and so reports) are reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reservoir size: medians of up to this many values are exact. */
export const RESERVOIR_SIZE = 4096;

/** A uniform sample of at most `capacity` values (Vitter's algorithm R), seeded. */
export class Reservoir {
  readonly #capacity: number;
  readonly #values: number[] = [];
  readonly #random: () => number;
  #seen = 0;

  constructor(capacity = RESERVOIR_SIZE, seed = 1) {
    this.#capacity = capacity;
    this.#random = mulberry32(seed);
  }

  add(value: number): void {
    this.#seen += 1;
    if (this.#values.length < this.#capacity) {
      this.#values.push(value);
      return;
    }
    const slot = Math.floor(this.#random() * this.#seen);
    if (slot < this.#capacity) this.#values[slot] = value;
  }

  /** Values offered so far. */
  get seen(): number {
    return this.#seen;
  }

  /** The sample's median (exact while `seen <= capacity`). */
  median(): number {
    return quantileSorted(sortedCopy(this.#values), 0.5);
  }

  /** The sample, sorted. */
  sorted(): Float64Array {
    return sortedCopy(this.#values);
  }
}
