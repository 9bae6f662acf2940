/**
 * Forwards one request to an instance over HTTP/1.1 with a keep-alive agent, streaming
 * both bodies and passing trailers on.
 */
import http from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { forwardableHeaders } from './headers.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';

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
}

/**
 * A keep-alive agent for the instances' loopback ports. `noDelay`: a request or response
 * that ever goes out in two writes must not wait for the peer's delayed ACK (Nagle).
 */
export function createUpstreamAgent(): http.Agent {
  return new http.Agent({
    keepAlive: true,
    maxSockets: Infinity,
    maxFreeSockets: 256,
    scheduling: 'lifo',
    noDelay: true,
  });
}

/** Resolves to the response status once the response is complete; rejects on upstream failure. */
export function forwardHttp1(
  agent: http.Agent,
  req: GatewayRequest,
  res: GatewayResponse,
  target: ForwardTarget,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // Built in place: the same keys and order as spreading the three, without two copies.
    const headers = Object.assign(forwardableHeaders(req.headers), target.requestHeaders);
    headers.host = target.authority;
    const upstream = http.request({
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: target.path,
      headers,
      agent,
    });
    target.onCancel((error) => upstream.destroy(error));
    upstream.on('error', reject);
    upstream.on('response', (incoming) => {
      const status = incoming.statusCode ?? 502;
      res.writeHead(status, Object.assign(forwardableHeaders(incoming.headers), target.responseHeaders));
      relay(incoming, res);
      incoming.on('error', reject);
      incoming.on('aborted', () => reject(new Error('the instance closed the connection mid-response')));
      incoming.on('end', () => {
        const trailers = forwardableHeaders(incoming.trailers);
        if (Object.keys(trailers).length > 0) res.addTrailers(trailers);
        // Resolve now, not on 'finish': a client that went away never lets 'finish' fire,
        // and the slot on the instance is free as soon as the instance has answered.
        res.end();
        resolve(status);
      });
    });
    if (hasNoBody(req)) {
      // Nothing to stream: end the upstream request now (headers go out in this tick)
      // rather than through pipe's 'end' a tick later; drain the (empty) request so the
      // client connection stays reusable.
      upstream.end();
      req.resume();
    } else {
      req.pipe(upstream);
    }
  });
}

/**
 * `from.pipe(to, { end: false })` reduced to what a proxied response needs: chunks in order,
 * and backpressure (pause until `to` drains). Readable.pipe registers and later removes
 * about eight listeners per call: 1-2 % of the gateway's CPU in a --cpu-prof.
 * When `to` goes away, the gateway cancels the upstream request, as pipe's unpipe would.
 */
function relay(from: Readable, to: Writable): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

/**
 * An HTTP/1.x request without Content-Length or Transfer-Encoding has no body (RFC 9112
 * §6.3). HTTP/2 requests may carry DATA frames without either, so they always stream.
 */
function hasNoBody(req: GatewayRequest): boolean {
  if (req.httpVersionMajor !== 1) return false;
  const { headers } = req;
  const length = headers['content-length'];
  return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined;
}
