/**
 * http/: the one HTTP edge of hivelab's servers (collector, admin API, gateway): a body
 * reader with a size limit (and Content-Encoding under the same limit), JSON and text
 * senders, and the map from errors to statuses.
 */
export { readBody, readRawBody, decodeContentEncoding, BodyTooLargeError } from './read-body.js';
export type { BodySource } from './read-body.js';
export { send, sendJson, sendText, sendError, sendNoContent } from './respond.js';
export type { ResponseLike } from './respond.js';
export { statusOf, decodePathSegment } from './http-errors.js';
