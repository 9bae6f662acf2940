/**
 * Forwards one request to an instance over cleartext HTTP/2 (gRPC), on one pooled session
 * per instance, streaming both bodies and keeping gRPC's trailers.
 */
import http2 from 'node:http2';
import type {
  ClientHttp2Session,
  ClientHttp2Stream,
  IncomingHttpHeaders,
  OutgoingHttpHeaders,
} from 'node:http2';
import { recordGrpcStatus } from './exchange-record.js';
import { forwardableHeaders, splitTrailersOnly } from './headers.js';
import type { ForwardTarget } from './proxy-http1.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';

/** One HTTP/2 session per instance port, reopened when it closes. */
export class H2SessionPool {
  private readonly sessions = new Map<number, ClientHttp2Session>();

  /** The open session to `port`, or a new one (then `opened` tells, when given). */
  get(port: number, opened?: { new: boolean }): ClientHttp2Session {
    const existing = this.sessions.get(port);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    if (opened) opened.new = true;
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const forget = (): void => {
      if (this.sessions.get(port) === session) this.sessions.delete(port);
    };
    session.on('close', forget);
    session.on('goaway', forget);
    // Stream errors reach the requests; a session error only needs the session dropped.
    session.on('error', forget);
    this.sessions.set(port, session);
    return session;
  }

  closeAll(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }
}

/** Resolves to the response status once the response is complete; rejects on upstream failure. */
export function forwardH2(
  pool: H2SessionPool,
  req: GatewayRequest,
  res: GatewayResponse,
  target: ForwardTarget,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const { record } = target;
    const opened = { new: false };
    const session = pool.get(target.port, opened);
    record.connection = opened.new ? 'new' : 'reused';
    record.connectionAt = performance.now();
    const { host: _host, ...headers } = forwardableHeaders(req.headers);
    const stream = session.request({
      ...headers,
      ...target.requestHeaders,
      ':method': req.method ?? 'GET',
      ':path': target.path,
      ':authority': target.authority,
      ':scheme': 'http',
    });
    target.onCancel((error) => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(error);
    });
    let status = 502;
    let trailers: OutgoingHttpHeaders = {};
    stream.on('error', reject);
    stream.on('response', (incoming, flags) => {
      record.firstByteAt = performance.now();
      status = Number(incoming[':status'] ?? 502);
      record.status = status;
      let headers = forwardableHeaders(incoming);
      if (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) {
        const split = splitTrailersOnly(headers);
        headers = split.headers;
        trailers = split.trailers;
        recordGrpcStatus(record, trailers);
      }
      res.writeHead(status, { ...headers, ...target.responseHeaders });
      stream.pipe(res, { end: false });
    });
    stream.on('trailers', (incoming: IncomingHttpHeaders) => {
      trailers = { ...trailers, ...forwardableHeaders(incoming) };
      recordGrpcStatus(record, incoming);
    });
    stream.on('end', () => {
      if (!res.headersSent) {
        reject(new Error('the instance ended the stream without a response'));
        return;
      }
      if (Object.keys(trailers).length > 0) res.addTrailers(trailers);
      // Not on 'finish' (which never fires if the client went away): the instance is done.
      res.end();
      record.responseWrittenAt = performance.now();
      resolve(status);
    });
    stream.on('close', () => {
      if (stream.rstCode && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR)
        reject(new Error(`the instance reset the stream (HTTP/2 code ${stream.rstCode})`));
    });
    stream.once('finish', () => (record.requestWrittenAt = performance.now()));
    forwardRequestBody(req, stream);
  });
}

/**
 * The request body to the instance's stream, its last chunk on the DATA frame that ends the
 * stream. Piped, the end went out as an empty DATA frame in a write of its own, after the
 * body: a unary gRPC call, whose HEADERS, message and END_STREAM the client sends in one
 * write, then reached the instance in two, and the instance (which answers at the end of
 * the request) could wake twice. Each chunk is held until the end of the event-loop turn
 * that brought it (`setImmediate`), so a streaming call's messages are not delayed past it.
 */
function forwardRequestBody(req: GatewayRequest, stream: ClientHttp2Stream): void {
  let held: Buffer | undefined;
  const resumeReq = (): void => {
    req.resume();
  };
  const flush = (): void => {
    if (held === undefined || stream.destroyed) return;
    const chunk = held;
    held = undefined;
    if (!stream.write(chunk)) {
      // Backpressure, as pipe() applies it: no more reads until the instance's window opens.
      req.pause();
      stream.once('drain', resumeReq);
    }
  };
  req.on('data', (chunk: Buffer) => {
    flush();
    held = chunk;
    setImmediate(flush);
  });
  req.once('end', () => {
    if (stream.destroyed) return;
    const last = held;
    held = undefined;
    if (last === undefined) stream.end();
    else stream.end(last);
  });
}
