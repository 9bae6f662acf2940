/**
 * Errors to HTTP statuses, in one place (conventions habit 7): an `HttpError` carries its
 * own, a `UserError` is the client's fault (400), anything else is ours (500).
 */
import { HttpError, UserError } from '../errors.js';

/** The status an error is answered with. */
export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof UserError) return 400;
  return 500;
}

/**
 * Decodes one %-escaped part of a request path. A malformed escape (`%zz`, a lone `%`, bytes
 * that are not UTF-8) is the client's error: a 400 naming the part, not a 500.
 * @param what names the part in the message, e.g. `function name`
 */
export function decodePathSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      `the ${what} in the path is not valid percent-encoding: ${JSON.stringify(segment)}; expected UTF-8 escapes such as %20`,
    );
  }
}
