/**
 * Forwards one request to an instance over HTTP/1.1 on a pooled keep-alive connection
 * (`upstream-pool.ts`): the request head goes out in one write, the response head is parsed
 * minimally (`http/http1-response-parser.ts`), both bodies stream with backpressure, and
 * response trailers are passed on.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { errorMessage } from '../../errors.js';
import type { ExchangeRecord } from './exchange-record.js';
import { forwardableHeaders, http1RequestHead, type BodyFraming } from './headers.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';
import { UpstreamPool, type ConnectionUser, type UpstreamConnection } from './upstream-pool.js';
import type { ParsedHeaders, ResponseSink } from '../../http/index.js';

/** What to forward and where; shared by both upstream protocols. */
export interface ForwardTarget {
  port: number;
  /** Path the instance sees (route prefix removed). */
  path: string;
  /** The original authority, passed on as `Host` / `:authority`. */
  authority: string;
  /** Added to (or replacing) the request headers: trace context. */
  requestHeaders: OutgoingHttpHeaders;
  /** Added to the response headers: `RESPONSE_HEADERS`. */
  responseHeaders: OutgoingHttpHeaders;
  /**
   * The proxy hands over a function that aborts the request to the instance (on timeout or
   * when the client goes away). A callback rather than an `AbortSignal`: the signal's
   * EventTarget machinery cost about a tenth of the gateway's CPU per request.
   */
  onCancel: (cancel: (error: Error) => void) => void;
  /** Filled in as the exchange goes: status, gRPC status, connection, stage times. */
  record: ExchangeRecord;
}

/** The gateway's HTTP/1.1 connections to the instances (one pool for all of them). */
export function createUpstreamPool(): UpstreamPool {
  return new UpstreamPool();
}

/** A response body up to this size that arrives with its head is sent with it in one write. */
const SINGLE_WRITE_MAX_BYTES = 16 * 1024;

/** Methods safe to send again when a reused connection turns out closed (as Go's Transport). */
const REPLAYABLE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Resolves to the response status once the response is complete; rejects on upstream failure. */
export function forwardHttp1(
  pool: UpstreamPool,
  req: GatewayRequest,
  res: GatewayResponse,
  target: ForwardTarget,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const exchange = new Http1Exchange(pool, req, res, target, resolve, reject);
    target.onCancel((error) => exchange.fail(error));
    exchange.start(false);
  });
}

/** One request/response through one upstream connection (two on a retry). */
class Http1Exchange implements ConnectionUser, ResponseSink {
  private readonly method: string;
  private readonly framing: BodyFraming;
  private readonly requestHead: string;
  private conn: UpstreamConnection | undefined;
  private settled = false;
  private requestEnded = false;
  private retried = false;
  private status = 0;
  /**
   * The first body chunk, held until the end of the data event that brought it: when the
   * response ends in that same event (the usual small answer), head and body go to the
   * client in one write instead of a writev of two buffers.
   */
  private firstChunk: Buffer | undefined;
  private wroteBody = false;
  /** Set while the upstream socket is paused for the client's backpressure. */
  private resumeUpstream: (() => void) | undefined;

  constructor(
    private readonly pool: UpstreamPool,
    private readonly req: GatewayRequest,
    private readonly res: GatewayResponse,
    private readonly target: ForwardTarget,
    private readonly resolve: (status: number) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.method = req.method ?? 'GET';
    this.framing = bodyFraming(req);
    this.requestHead = http1RequestHead(
      this.method,
      target.path,
      target.authority,
      req.headers,
      target.requestHeaders,
      this.framing,
    );
  }

  start(fresh: boolean): void {
    let conn: UpstreamConnection;
    try {
      conn = this.pool.acquire(this.target.port, this, fresh);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.conn = conn;
    const { record } = this.target;
    record.connection = conn.reused ? 'reused' : 'new';
    record.connectionAt = performance.now();
    conn.parser.start(this, this.method === 'HEAD');
    conn.socket.write(this.requestHead, 'latin1');
    if (this.framing === 'none') {
      record.requestWrittenAt = performance.now();
      this.requestEnded = true;
      // Drain the (empty) request so the client's connection stays reusable.
      if (!fresh) this.req.resume();
    } else {
      this.req.on('data', (chunk: Buffer) => this.writeBody(chunk));
      this.req.on('end', () => this.endBody());
    }
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.dropConnection();
    this.reject(error);
  }

  // ConnectionUser: what the upstream socket reports.

  onData(data: Buffer): void {
    const { record } = this.target;
    if (record.firstByteAt === 0) record.firstByteAt = performance.now();
    try {
      this.conn!.parser.push(data);
    } catch (error) {
      this.fail(new Error(`bad response from the instance: ${errorMessage(error)}`));
      return;
    }
    if (this.firstChunk) this.flushFirstChunk();
  }

  onDrain(): void {
    if (!this.requestEnded) this.req.resume();
  }

  onClose(error: Error | undefined): void {
    if (this.settled) return;
    const conn = this.conn!;
    if (conn.parser.closed()) return; // a close-delimited body ended: end() settled
    if (
      !conn.parser.headReceived &&
      conn.reused &&
      !this.retried &&
      this.framing === 'none' &&
      REPLAYABLE.has(this.method)
    ) {
      // The instance closed an idle keep-alive connection (or one opened ahead, unused) as
      // we sent on it: nothing was answered, and the request is safe to send again, on a new
      // connection.
      this.retried = true;
      this.start(true);
      return;
    }
    this.fail(
      error ??
        new Error(
          conn.parser.headReceived
            ? 'the instance closed the connection mid-response'
            : 'the instance closed the connection before answering',
        ),
    );
  }

  // ResponseSink: what the parser reports.

  head(status: number, headers: ParsedHeaders): void {
    this.status = status;
    this.target.record.status = status;
    this.res.writeHead(status, Object.assign(forwardableHeaders(headers), this.target.responseHeaders));
  }

  body(chunk: Buffer): void {
    if (!this.wroteBody) {
      if (!this.firstChunk && chunk.length <= SINGLE_WRITE_MAX_BYTES) {
        this.firstChunk = chunk;
        return;
      }
      this.flushFirstChunk();
    }
    this.writeToClient(chunk);
  }

  private flushFirstChunk(): void {
    this.wroteBody = true;
    const chunk = this.firstChunk;
    this.firstChunk = undefined;
    if (chunk) this.writeToClient(chunk);
  }

  private writeToClient(chunk: Buffer): void {
    if (this.res.write(chunk) || this.resumeUpstream) return;
    const socket = this.conn!.socket;
    socket.pause();
    this.resumeUpstream = () => {
      this.resumeUpstream = undefined;
      socket.resume();
    };
    this.res.once('drain', this.resumeUpstream);
  }

  end(trailers: ParsedHeaders | undefined): void {
    if (trailers) {
      const forwarded = forwardableHeaders(trailers);
      for (const _ in forwarded) {
        this.res.addTrailers(forwarded);
        break;
      }
    }
    // Resolve now, not on 'finish': a client that went away never lets 'finish' fire, and
    // the slot on the instance is free as soon as the instance has answered.
    const whole = this.firstChunk;
    this.firstChunk = undefined;
    this.wroteBody = true;
    // node:http joins its head and a string body into one write; a Buffer goes out in a writev.
    if (whole) this.res.end(whole.toString('latin1'), 'latin1');
    else this.res.end();
    this.target.record.responseWrittenAt = performance.now();
    this.settled = true;
    if (this.resumeUpstream) {
      this.res.off('drain', this.resumeUpstream);
      this.resumeUpstream();
    }
    if (this.requestEnded) {
      const conn = this.conn!;
      this.conn = undefined;
      this.pool.release(conn);
    } else {
      // Answered before the whole body was sent: the connection is mid-request, unusable.
      this.req.removeAllListeners('data');
      this.req.resume();
      this.dropConnection();
    }
    this.resolve(this.status);
  }

  private writeBody(chunk: Buffer): void {
    const socket = this.conn?.socket;
    if (!socket || this.settled) return;
    let flushed: boolean;
    if (this.framing === 'chunked') {
      if (chunk.length === 0) return; // a zero-length chunk would end the body
      socket.cork();
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      flushed = socket.write('\r\n', 'latin1');
      socket.uncork();
    } else {
      flushed = socket.write(chunk);
    }
    if (!flushed) this.req.pause();
  }

  private endBody(): void {
    if (this.settled || !this.conn) return;
    if (this.framing === 'chunked') this.conn.socket.write('0\r\n\r\n', 'latin1');
    this.target.record.requestWrittenAt = performance.now();
    this.requestEnded = true;
  }

  private dropConnection(): void {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    conn.user = undefined;
    conn.socket.destroy();
  }
}

/**
 * How the body goes upstream. An HTTP/1.x request without Content-Length or
 * Transfer-Encoding has none (RFC 9112 §6.3); an HTTP/2 request has none when its HEADERS
 * ended the stream; otherwise a known length is kept and an unknown one is chunked.
 */
function bodyFraming(req: GatewayRequest): BodyFraming {
  const { headers } = req;
  const length = headers['content-length'];
  if (req.httpVersionMajor === 1) {
    if (headers['transfer-encoding'] !== undefined) return 'chunked';
    return length === undefined || length === '0' ? 'none' : 'length';
  }
  if (length !== undefined) return length === '0' ? 'none' : 'length';
  return req.stream?.endAfterHeaders === true ? 'none' : 'chunked';
}
