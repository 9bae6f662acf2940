/**
 * What the gateway needs of a request and a response, satisfied by both `node:http`'s
 * objects and `node:http2`'s compatibility objects, so one handler serves both protocols.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Readable, Writable } from 'node:stream';

export interface GatewayRequest extends Readable {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly httpVersionMajor: number;
  /** HTTP/2 only: the stream, whose HEADERS may have ended it (no body). */
  readonly stream?: { readonly endAfterHeaders?: boolean };
}

export interface GatewayResponse extends Writable {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: OutgoingHttpHeaders): this;
  addTrailers(trailers: OutgoingHttpHeaders): void;
}
