/**
 * What a failed PostgreSQL call means for the collector: the database is unreachable or
 * restarting (retry soon), out of disk or refusing permission (retry after someone fixed
 * it), or something else. The message says what happened and what to do.
 */
import { StoreUnavailableError } from '../../store-errors.js';

interface PgLikeError {
  code?: string;
  message?: string;
}

/** Socket-level failures: the server is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as PgLikeError).code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for errors after which the same request may succeed once the server is back. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
  if (code !== undefined && (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300')) {
    return true;
  }
  const message = messageOf(error);
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
    message,
  );
}

/**
 * Wraps a write failure: connection trouble, a full disk (53100), exhausted resources (53xxx),
 * refused permission (42501) or a read-only server (25006) become a `StoreUnavailableError`
 * the ingest answers with 503 and `Retry-After`; anything else is returned unchanged.
 */
export function classifyWriteError(error: unknown, where: string): unknown {
  const code = codeOf(error);
  const cause = messageOf(error);
  if (isConnectionError(error)) {
    return new StoreUnavailableError(
      `PostgreSQL at ${where} is unreachable or restarting (${cause})`,
      'the spans were not stored; retry: the collector reconnects by itself',
      { cause: error },
    );
  }
  if (code === '53100' || /No space left on device/i.test(cause)) {
    return new StoreUnavailableError(
      `PostgreSQL at ${where} is out of disk space (${cause})`,
      'free disk space on the database server, or apply retention (--retention-age/--retention-size)',
      { cause: error },
    );
  }
  if (code === '42501') {
    return new StoreUnavailableError(
      `PostgreSQL at ${where} refused permission to write spans (${cause})`,
      'grant the collector\'s role INSERT, CREATE and USAGE on schema "hivelab" and its tables',
      { cause: error },
    );
  }
  if (code === '25006' || (code !== undefined && code.startsWith('53'))) {
    return new StoreUnavailableError(
      `PostgreSQL at ${where} cannot accept writes now (${cause})`,
      'retry later',
      {
        cause: error,
      },
    );
  }
  return error;
}
