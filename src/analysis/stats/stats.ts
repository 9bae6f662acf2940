/**
 * Small numeric helpers (pure): growable float arrays, quantiles, mean and standard
 * deviation, the median absolute deviation, and a seeded reservoir sample for medians of
 * large groups in bounded memory.
 */

/** A Float64Array that grows; `values()` views the filled part. */
export class FloatColumn {
  #data = new Float64Array(16);
  #length = 0;

  push(value: number): void {
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

/** Median absolute deviation from `median` (unscaled). */
export function medianAbsoluteDeviation(values: ArrayLike<number>, median: number): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] as number) - median);
  deviations.sort();
  return quantileSorted(deviations, 0.5);
}

/** Mulberry32: a small seeded PRNG, so samples (and so reports) are reproducible. */
function mulberry32(seed: number): () => number {
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
