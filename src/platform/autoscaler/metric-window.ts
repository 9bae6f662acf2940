/**
 * The recent metric samples of one function, what the platform hands to `policy.decide`.
 * The platform records one sample a second; the window keeps the last `maxAgeMs` of them
 * (at least the stable window) and forgets the rest, so memory stays bounded.
 */
import type { MetricSample } from './scaling-policy.js';

export class MetricWindow {
  readonly maxAgeMs: number;
  #samples: MetricSample[] = [];

  /** @param maxAgeMs how much history to keep, e.g. the function's stable window. */
  constructor(maxAgeMs: number) {
    if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
      throw new RangeError(`MetricWindow maxAgeMs must be a positive number of ms, got ${maxAgeMs}`);
    }
    this.maxAgeMs = maxAgeMs;
  }

  /** Adds a sample. Samples are kept in time order even if one arrives late. */
  record(sample: MetricSample): void {
    const last = this.#samples.at(-1);
    if (last === undefined || last.timeMs <= sample.timeMs) {
      this.#samples.push(sample);
    } else {
      const at = this.#samples.findIndex((s) => s.timeMs > sample.timeMs);
      this.#samples.splice(at, 0, sample);
    }
    this.#evict(sample.timeMs);
  }

  /** The samples with `nowMs - maxAgeMs < timeMs <= nowMs`, oldest first (a copy). */
  samples(nowMs: number): readonly MetricSample[] {
    this.#evict(nowMs);
    return this.#samples.filter((s) => s.timeMs <= nowMs);
  }

  /** Drops samples that fell out of the window as of `nowMs` (never ones newer than it). */
  #evict(nowMs: number): void {
    const fromMs = nowMs - this.maxAgeMs;
    let drop = 0;
    while (drop < this.#samples.length && this.#samples[drop]!.timeMs <= fromMs) drop += 1;
    if (drop > 0) this.#samples.splice(0, drop);
  }
}
