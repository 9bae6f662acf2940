/**
 * Writing responses: JSON, plain text and errors, with CORS headers on every answer so a
 * UI served from another port can read the query APIs.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from '../../errors.js';

/** Headers that let a browser on another origin read every answer. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, content-encoding, authorization',
  'access-control-max-age': '86400',
};

/** Sends `body` (already serialised) with a status and content type. */
export function send(
  response: ServerResponse,
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
    ...CORS_HEADERS,
    'content-type': contentType,
    'content-length': String(length),
    ...headers,
  });
  response.end(body);
}

/** Sends a value as JSON. */
export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers?: Readonly<Record<string, string>>,
): void {
  send(response, status, JSON.stringify(value), 'application/json', headers);
}

/** Sends a plain-text reason (Zipkin's style for errors). */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers?: Readonly<Record<string, string>>,
): void {
  send(response, status, text.endsWith('\n') ? text : `${text}\n`, 'text/plain; charset=utf-8', headers);
}

/**
 * Answers a thrown value: an `HttpError` with its status and reason, anything else with a
 * generic 500 after reporting it through `log` (no stack traces in responses).
 */
export function sendError(response: ServerResponse, error: unknown, log: (line: string) => void): void {
  if (error instanceof HttpError) {
    sendText(response, error.status, error.message, error.headers);
    return;
  }
  log(
    `collector: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  sendText(response, 500, 'internal error; see the collector log');
}
