/** Classifies socket-level failures the same way for every client. */
import type { ErrorKind } from './target-client.js';

/** `refused` for connection refused/reset before any answer, `other` for the rest. */
export function socketErrorKind(error: unknown): ErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'other';
}
