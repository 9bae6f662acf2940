/**
 * Turns request start/finish events into 1-second `MetricSample`s, as Knative's queue-proxy
 * and activator report `AverageConcurrentRequests` and `RequestCount`: the time-weighted
 * average number of requests in flight (buffered ones included) since the previous sample,
 * and the arrivals in that interval. The clock is an argument, so it is tested without sleeping.
 */
import type { MetricSample } from './scaling-policy.js';

export class ConcurrencySampler {
  #inFlight = 0;
  #arrivals = 0;
  /** Integral of in-flight requests over time since the last sample, in request·ms. */
  #area = 0;
  #lastChangeMs: number;
  #lastSampleMs: number;

  constructor(nowMs: number) {
    this.#lastChangeMs = nowMs;
    this.#lastSampleMs = nowMs;
  }

  /** Requests in flight right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A request arrived (counted from arrival, so activator-buffered requests count too). */
  requestStarted(nowMs: number): void {
    this.#advance(nowMs);
    this.#inFlight += 1;
    this.#arrivals += 1;
  }

  /** A request finished (answered, failed or timed out). */
  requestFinished(nowMs: number): void {
    this.#advance(nowMs);
    // Never below zero: a finish without a matching start is a caller bug, not load.
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }

  /** Closes the interval since the previous sample and starts the next one. */
  sample(nowMs: number): MetricSample {
    this.#advance(nowMs);
    const intervalMs = nowMs - this.#lastSampleMs;
    // A zero-length interval has no average: report what is in flight at this instant.
    const concurrency = intervalMs > 0 ? this.#area / intervalMs : this.#inFlight;
    const sample: MetricSample = { timeMs: nowMs, concurrency, requests: this.#arrivals };
    this.#area = 0;
    this.#arrivals = 0;
    this.#lastSampleMs = Math.max(this.#lastSampleMs, nowMs);
    return sample;
  }

  #advance(nowMs: number): void {
    // A clock that steps back (or two events in the same ms) adds no area.
    const dtMs = Math.max(0, nowMs - this.#lastChangeMs);
    this.#area += this.#inFlight * dtMs;
    this.#lastChangeMs = Math.max(this.#lastChangeMs, nowMs);
  }
}
