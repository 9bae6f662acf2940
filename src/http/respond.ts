/**
 * Writing responses: JSON, plain text and errors, for every HTTP edge of hivelab (the
 * collector, the platform's admin API and the gateway). Headers a server wants on every
 * answer (the collector's CORS headers) are set on the response before a handler runs.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { HttpError, errorMessage } from '../errors.js';
import { statusOf } from './http-errors.js';

/** What the senders need of a response: `node:http`'s and `node:http2`'s both fit. */
export interface ResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  end(body?: string | Uint8Array): unknown;
}

/** Sends `body` (already serialised) with a status and content type. */
export function send(
  response: ResponseLike,
  status: number,
  body: string | Uint8Array,
  contentType: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': String(length),
    ...headers,
  });
  response.end(body);
}

/** Sends an empty answer (204 No Content, or another status without a body). */
export function sendNoContent(response: ResponseLike, status = 204): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-length': '0' });
  response.end();
}

/** Sends a value as JSON. */
export function sendJson(
  response: ResponseLike,
  status: number,
  value: unknown,
  headers?: Readonly<Record<string, string>>,
): void {
  send(response, status, JSON.stringify(value), 'application/json', headers);
}

/** Sends a plain-text reason (Zipkin's style for errors). */
export function sendText(
  response: ResponseLike,
  status: number,
  text: string,
  headers?: Readonly<Record<string, string>>,
): void {
  send(response, status, text.endsWith('\n') ? text : `${text}\n`, 'text/plain; charset=utf-8', headers);
}

/**
 * Answers a thrown value with the status of `statusOf` and its reason; an unexpected error
 * is reported through `log` and answered with a generic 500 (no stack traces in responses).
 * @param server names the server in the log line and the answer, e.g. `collector`
 */
export function sendError(
  response: ResponseLike,
  error: unknown,
  log: (line: string) => void,
  server = 'collector',
): void {
  const status = statusOf(error);
  if (status !== 500 || error instanceof HttpError) {
    sendText(response, status, errorMessage(error), error instanceof HttpError ? error.headers : {});
    return;
  }
  log(
    `${server}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  sendText(response, 500, `internal error; see the ${server} log`);
}
