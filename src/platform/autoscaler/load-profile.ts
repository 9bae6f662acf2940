/**
 * An offered-load profile for the simulator: a step function of time (each point holds until
 * the next), with exact averages over any interval from prefix integrals, so replaying a
 * day of per-second points stays fast.
 */
import { UserError } from '../../errors.js';

/** One change of the offered load: from `timeMs` on, until the next point. */
export interface LoadPoint {
  timeMs: number;
  /** Requests in flight (buffered ones included). */
  concurrency: number;
  /** Arrivals per second, for the `rps` metric. @default 0 */
  rps?: number;
}

/** Throws a `UserError` naming the first bad point and field. */
export function validateLoadProfile(profile: readonly LoadPoint[]): void {
  if (profile.length === 0)
    throw new UserError('load profile is empty; expected at least one {timeMs, concurrency} point');
  profile.forEach((p, i) => {
    if (!Number.isFinite(p.timeMs)) throw new UserError(`load[${i}].timeMs must be a finite number of ms`);
    if (!(p.concurrency >= 0) || !Number.isFinite(p.concurrency)) {
      throw new UserError(`load[${i}].concurrency must be a finite number >= 0`);
    }
    if (p.rps !== undefined && (!(p.rps >= 0) || !Number.isFinite(p.rps))) {
      throw new UserError(`load[${i}].rps must be a finite number >= 0`);
    }
    if (i > 0 && p.timeMs < profile[i - 1]!.timeMs) {
      throw new UserError(`load[${i}].timeMs goes back in time; expected points sorted by timeMs`);
    }
  });
}

export class LoadProfile {
  readonly #times: number[];
  readonly #concurrency: number[];
  readonly #rps: number[];
  /** Area under each series from the first point up to point i, in value·ms. */
  readonly #concurrencyArea: number[] = [0];
  readonly #rpsArea: number[] = [0];

  /** @throws UserError for an empty, unsorted or non-numeric profile. */
  constructor(profile: readonly LoadPoint[]) {
    validateLoadProfile(profile);
    this.#times = profile.map((p) => p.timeMs);
    this.#concurrency = profile.map((p) => p.concurrency);
    this.#rps = profile.map((p) => p.rps ?? 0);
    for (let i = 1; i < profile.length; i += 1) {
      const dt = this.#times[i]! - this.#times[i - 1]!;
      this.#concurrencyArea.push(this.#concurrencyArea[i - 1]! + this.#concurrency[i - 1]! * dt);
      this.#rpsArea.push(this.#rpsArea[i - 1]! + this.#rps[i - 1]! * dt);
    }
  }

  get startMs(): number {
    return this.#times[0]!;
  }

  get endMs(): number {
    return this.#times.at(-1)!;
  }

  /** Offered concurrency at `timeMs` (0 before the first point). */
  concurrencyAt(timeMs: number): number {
    const i = this.#indexAt(timeMs);
    return i < 0 ? 0 : this.#concurrency[i]!;
  }

  /** Time-weighted average concurrency over `[fromMs, toMs)`. */
  averageConcurrency(fromMs: number, toMs: number): number {
    return this.#average(this.#concurrency, this.#concurrencyArea, fromMs, toMs);
  }

  /** Arrivals in `[fromMs, toMs)` (the integral of rps). */
  arrivals(fromMs: number, toMs: number): number {
    return (this.#average(this.#rps, this.#rpsArea, fromMs, toMs) * (toMs - fromMs)) / 1000;
  }

  /** Index of the last point with `timeMs <= t`, or -1. */
  #indexAt(t: number): number {
    let lo = 0;
    let hi = this.#times.length - 1;
    if (t < this.#times[0]!) return -1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.#times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #areaUpTo(values: number[], area: number[], t: number): number {
    const i = this.#indexAt(t);
    return i < 0 ? 0 : area[i]! + values[i]! * (t - this.#times[i]!);
  }

  #average(values: number[], area: number[], fromMs: number, toMs: number): number {
    if (toMs <= fromMs) {
      const i = this.#indexAt(fromMs);
      return i < 0 ? 0 : values[i]!;
    }
    return (this.#areaUpTo(values, area, toMs) - this.#areaUpTo(values, area, fromMs)) / (toMs - fromMs);
  }
}
