/**
 * Header plumbing shared by the HTTP/1.1 and h2c proxies. Pure.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Connection-specific headers: never forwarded (HTTP/2 forbids them outright). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** gRPC status headers that arrive in the headers of a trailers-only response. */
const GRPC_STATUS_KEYS = ['grpc-status', 'grpc-message', 'grpc-status-details-bin'] as const;

/** False for pseudo-headers, hop-by-hop headers and a `te` other than `trailers` (gRPC needs that one). */
export function isForwardable(key: string, value: unknown): boolean {
  if (value === undefined || key.startsWith(':') || HOP_BY_HOP.has(key)) return false;
  return key !== 'te' || value === 'trailers';
}

/** Request or response headers without the ones `isForwardable` rejects. */
export function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  // for…in over own keys, not Object.entries: no array of pairs per request.
  for (const key in headers) {
    const value = headers[key];
    if (isForwardable(key, value)) out[key] = value;
  }
  return out;
}

/** How an HTTP/1.1 request to an instance frames its body. */
export type BodyFraming = 'none' | 'length' | 'chunked';

/**
 * The head of the HTTP/1.1 request to an instance, as one string to write at once:
 * request line, `host`, the caller's forwardable headers minus those `extra` replaces,
 * `extra` (trace context), then the body framing. Names are lower-case already (node:http
 * and node:http2 lower-case incoming names; `extra`'s are ours). Write it as latin1: node
 * decodes incoming header bytes as latin1, so that writes the caller's bytes back unchanged.
 */
export function http1RequestHead(
  method: string,
  path: string,
  authority: string,
  headers: IncomingHttpHeaders,
  extra: OutgoingHttpHeaders,
  framing: BodyFraming,
): string {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${authority}\r\n`;
  for (const key in headers) {
    const value = headers[key];
    if (key === 'host' || key === 'content-length' || Object.hasOwn(extra, key) || !isForwardable(key, value))
      continue;
    head += headerLines(key, value!);
  }
  for (const key in extra) {
    const value = extra[key];
    if (value !== undefined) head += headerLines(key, value);
  }
  if (framing === 'length') head += `content-length: ${String(headers['content-length'])}\r\n`;
  else if (framing === 'chunked') head += 'transfer-encoding: chunked\r\n';
  return `${head}\r\n`;
}

function headerLines(key: string, value: string | number | readonly string[]): string {
  if (typeof value !== 'object') return `${key}: ${value}\r\n`;
  let lines = '';
  for (const item of value) lines += `${key}: ${item}\r\n`;
  return lines;
}

/** The request's authority: `Host` (HTTP/1.1) or `:authority` (HTTP/2). */
export function requestAuthority(headers: IncomingHttpHeaders): string | undefined {
  const authority = headers[':authority'];
  if (typeof authority === 'string' && authority) return authority;
  return headers.host;
}

/** True for gRPC requests, which get errors as gRPC statuses rather than HTTP ones. */
export function isGrpc(headers: IncomingHttpHeaders): boolean {
  return headers['content-type']?.startsWith('application/grpc') === true;
}

/**
 * Splits the headers of a trailers-only gRPC response (HEADERS with END_STREAM) into
 * headers and trailers, so both protocols can send them as a normal response with trailers.
 */
export function splitTrailersOnly(headers: OutgoingHttpHeaders): {
  headers: OutgoingHttpHeaders;
  trailers: OutgoingHttpHeaders;
} {
  const rest: OutgoingHttpHeaders = { ...headers };
  const trailers: OutgoingHttpHeaders = {};
  for (const key of GRPC_STATUS_KEYS) {
    if (rest[key] !== undefined) {
      trailers[key] = rest[key];
      delete rest[key];
    }
  }
  return { headers: rest, trailers };
}

/** The gRPC status code for an HTTP error status (as gRPC's HTTP mapping, inverted). */
export function grpcStatusForHttp(status: number): number {
  if (status === 504) return 4; // DEADLINE_EXCEEDED
  if (status === 404) return 12; // UNIMPLEMENTED: no such service here
  if (status === 400 || status === 422) return 3; // INVALID_ARGUMENT
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  return 14; // UNAVAILABLE: 502, 503 and the rest
}

/**
 * `grpc-message` as the gRPC HTTP/2 spec encodes it: printable ASCII except `%` as is, every
 * other UTF-8 byte as `%XX`. (encodeURIComponent would also escape `/` and spaces, which
 * clients decoding with decodeURI then show as `%2F`.)
 */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
