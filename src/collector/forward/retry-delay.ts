/**
 * How long a forwarder waits before sending a refused batch again: exponential backoff with
 * full jitter (AWS's and gRPC's habit), at least what the backend's `Retry-After` asks.
 * Pure: the random number comes in.
 */

/** Backoff settings, in ms. */
export interface BackoffOptions {
  /** First delay's ceiling. @default 100 */
  initialMs: number;
  /** Largest delay. @default 30000 */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000 };

/** Seconds or an HTTP date in `Retry-After`, as ms from `nowMs`; undefined when absent or bad. */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The delay before retry number `attempt` (1 = the first retry). */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  random: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling * random);
  return Math.min(options.maxMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Statuses after which the same batch may succeed later; other failures drop it. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}
