/**
 * The one error module (conventions habit 7).
 *
 * - `UserError`: something the user can fix (a flag, a file, a spec). The CLI prints
 *   its message and hint without a stack trace.
 * - `HttpError`: a request that is answered with a specific status and a plain reason.
 *   Anything else that reaches an HTTP edge is logged and answered with a generic 500.
 */

export class UserError extends Error {
  override readonly name = 'UserError';
  /** What to do about it, printed on its own line after the message. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  /** Extra response headers, e.g. `Retry-After` on 429/503. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** The message of any thrown value, for logs and "error while X: cause" lines. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
