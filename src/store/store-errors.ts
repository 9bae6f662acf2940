/**
 * Errors a `TraceStore` raises that its callers act on. A collector answers a failed
 * append that is a `StoreUnavailableError` with 503 and `Retry-After` (the client keeps
 * the spans and retries) instead of a generic 500.
 */

/** The store cannot take writes for now (down, restarting, out of disk, refused permission). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** What to do about it. */
  readonly hint: string;

  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
  }
}
