/**
 * What the proxy saw of one exchange with an instance, filled in as it happens: the answer's
 * status (HTTP, and gRPC's from the trailers) and when each stage was reached. A plain object
 * of numbers written in place, so recording costs a few property stores per request.
 */

/** One exchange with an instance, as the proxy observed it. */
export interface ExchangeRecord {
  /** HTTP status the instance answered; 0 until its response head arrived. */
  status: number;
  /** `grpc-status` of the answer (trailers, or a trailers-only response), when it had one. */
  grpcStatus: number | undefined;
  /** `grpc-message` of the answer, percent-decoded, when it had one. */
  grpcMessage: string | undefined;
  /** Whether the upstream connection (HTTP/1.1) or session (h2c) was opened for this request. */
  connection: 'new' | 'reused' | undefined;
  /** `performance.now()` ms when each stage was reached; 0 = not reached. */
  connectionAt: number;
  requestWrittenAt: number;
  firstByteAt: number;
  responseWrittenAt: number;
}

/** A record with nothing observed yet. */
export function newExchangeRecord(): ExchangeRecord {
  return {
    status: 0,
    grpcStatus: undefined,
    grpcMessage: undefined,
    connection: undefined,
    connectionAt: 0,
    requestWrittenAt: 0,
    firstByteAt: 0,
    responseWrittenAt: 0,
  };
}

/**
 * Pure: reads `grpc-status` / `grpc-message` from a header or trailer block into `record`
 * (a later block, the trailers, wins over an earlier one).
 */
export function recordGrpcStatus(record: ExchangeRecord, headers: Readonly<Record<string, unknown>>): void {
  const status = headers['grpc-status'];
  if (status === undefined) return;
  const code = Number(Array.isArray(status) ? status[0] : status);
  if (!Number.isInteger(code)) return;
  record.grpcStatus = code;
  const message = headers['grpc-message'];
  record.grpcMessage = typeof message === 'string' && message !== '' ? decodeGrpcMessage(message) : undefined;
}

function decodeGrpcMessage(message: string): string {
  try {
    return decodeURIComponent(message);
  } catch {
    return message; // a malformed escape: show it as sent
  }
}

/** gRPC status code names (grpc/doc/statuscodes.md), for the `error` tag. */
export const GRPC_STATUS_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];
