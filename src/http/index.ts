/**
 * http/: the one HTTP edge of hivelab's servers (collector, admin API, gateway): a body
 * reader with a size limit (and Content-Encoding under the same limit), JSON and text
 * senders, the map from errors to statuses, and the HTTP/1.1 response parser of its clients
 * (the gateway's upstream connections, the invoker).
 */
export { readBody, readRawBody, decodeContentEncoding, BodyTooLargeError } from './read-body.js';
export type { BodySource } from './read-body.js';
export { send, sendJson, sendText, sendError, sendNoContent } from './respond.js';
export type { ResponseLike } from './respond.js';
export { statusOf, decodePathSegment } from './http-errors.js';
export { Http1ResponseParser } from './http1-response-parser.js';
export type { ParsedHeaders, ResponseSink } from './http1-response-parser.js';
export { bufferedResponse } from './buffered-response.js';
export type { BufferedResponse } from './buffered-response.js';
