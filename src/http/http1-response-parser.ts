/**
 * The one HTTP/1.1 response parser, for the gateway's upstream connections and the invoker's
 * client: status line and headers, then the body as it arrives (Content-Length, chunked with
 * trailers, or up to the end of the connection), handed to a sink chunk by chunk so a proxied
 * body is never buffered whole (`bufferedResponse` collects it for a load generator). Pure:
 * bytes in, sink calls out; no sockets here.
 */

/** Header names lower-cased; repeated headers joined as node:http does (`set-cookie` stays a list). */
export type ParsedHeaders = Record<string, string | string[]>;

/** Receives one response; the parser calls `head` once, `body` zero or more times, then `end`. */
export interface ResponseSink {
  head(status: number, headers: ParsedHeaders): void;
  /** A slice of the bytes pushed in (not a copy). */
  body(chunk: Buffer): void;
  end(trailers: ParsedHeaders | undefined): void;
}

type State =
  | 'idle'
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-data-end'
  | 'trailers'
  | 'until-close'
  | 'done';

/** Refuse absurd heads (and chunk-size or trailer lines) rather than buffer them forever. */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = 0x0a0d; // '\r\n' read as a little-endian uint16
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})/;
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;

export class Http1ResponseParser {
  private state: State = 'idle';
  private sink: ResponseSink | undefined;
  private bodyless = false;
  /** Bytes of an incomplete head, chunk-size line or trailer block, kept for the next push. */
  private partial: Buffer | undefined;
  private remaining = 0;
  private sawHead = false;
  /** Responses ended so far. */
  private ended = 0;
  /** The connection may carry another request after this response. */
  keepAlive = true;
  /** The server's `Keep-Alive: timeout=N` hint, ms; undefined when it gave none. */
  keepAliveHintMs: number | undefined;
  /** Bytes arrived after the end of the response (a misbehaving server): do not reuse. */
  trailingBytes = false;

  /**
   * Expects the response to a new request. `bodyless`: the request was HEAD, so the response
   * has no body whatever its Content-Length says.
   */
  start(sink: ResponseSink, bodyless: boolean): void {
    this.sink = sink;
    this.bodyless = bodyless;
    this.state = 'head';
    this.partial = undefined;
    this.sawHead = false;
  }

  /** True once the status line and headers have been handed to the sink. */
  get headReceived(): boolean {
    return this.sawHead;
  }

  /** True between `start` and the end of the response. */
  get busy(): boolean {
    return this.state !== 'idle' && this.state !== 'done';
  }

  /**
   * Feeds bytes from the connection.
   * @throws Error on a malformed response (the caller drops the connection)
   */
  push(data: Buffer): void {
    const buf = this.partial ? Buffer.concat([this.partial, data]) : data;
    this.partial = undefined;
    const endedBefore = this.ended;
    let at = 0;
    while (at < buf.length) {
      const consumed = this.step(buf, at);
      if (consumed < 0) {
        // Incomplete line or head: keep the rest for the next push.
        const rest = buf.subarray(at);
        if (rest.length > MAX_HEAD_BYTES) throw new Error('response head or chunk line over 64 KiB');
        this.partial = rest;
        return;
      }
      at = consumed;
      // A response ended (its sink may already have started the next one): the rest of
      // these bytes belong to no request.
      if (this.ended !== endedBefore) {
        if (at < buf.length) this.trailingBytes = true;
        return;
      }
    }
  }

  /**
   * The connection closed: ends a close-delimited body. Returns false when the response
   * was cut short (or never started), which the caller reports as the instance's failure.
   */
  closed(): boolean {
    if (this.state === 'until-close') {
      this.finish(undefined);
      return true;
    }
    return this.state === 'done' || this.state === 'idle';
  }

  /** One transition from offset `at`; returns the new offset, or -1 when more bytes are needed. */
  private step(buf: Buffer, at: number): number {
    switch (this.state) {
      case 'head':
        return this.readHead(buf, at);
      case 'length': {
        const n = Math.min(this.remaining, buf.length - at);
        this.remaining -= n;
        this.sink!.body(buf.subarray(at, at + n));
        if (this.remaining === 0) this.finish(undefined);
        return at + n;
      }
      case 'chunk-size': {
        const eol = buf.indexOf('\r\n', at, 'latin1');
        if (eol < 0) return -1;
        const text = buf.toString('latin1', at, eol);
        const semicolon = text.indexOf(';');
        const hex = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error(`bad chunk size "${text.slice(0, 40)}"`);
        this.remaining = Number.parseInt(hex, 16);
        this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
        return eol + 2;
      }
      case 'chunk-data': {
        const n = Math.min(this.remaining, buf.length - at);
        this.remaining -= n;
        this.sink!.body(buf.subarray(at, at + n));
        if (this.remaining === 0) this.state = 'chunk-data-end';
        return at + n;
      }
      case 'chunk-data-end': {
        if (buf.length - at < 2) return -1;
        if (buf.readUInt16LE(at) !== CRLF) throw new Error('chunk data not followed by CRLF');
        this.state = 'chunk-size';
        return at + 2;
      }
      case 'trailers': {
        // Usually just the empty line; else header lines up to an empty line.
        if (buf.length - at >= 2 && buf.readUInt16LE(at) === CRLF) {
          this.finish(undefined);
          return at + 2;
        }
        const end = buf.indexOf('\r\n\r\n', at, 'latin1');
        if (end < 0) return -1;
        this.finish(parseHeaderLines(buf.toString('latin1', at, end).split('\r\n')));
        return end + 4;
      }
      case 'until-close':
        this.sink!.body(at === 0 ? buf : buf.subarray(at));
        return buf.length;
      case 'idle':
      case 'done':
        this.trailingBytes = true;
        return buf.length;
    }
  }

  private readHead(buf: Buffer, at: number): number {
    const end = buf.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) return -1;
    const lines = buf.toString('latin1', at, end).split('\r\n');
    const statusLine = STATUS_LINE.exec(lines[0]!);
    if (!statusLine) throw new Error(`bad status line "${lines[0]!.slice(0, 80)}"`);
    const status = Number(statusLine[2]);
    // 1xx are interim (100 Continue): the real response follows.
    if (status < 200) return end + 4;
    lines[0] = '';
    const headers = parseHeaderLines(lines);
    const connection = headerText(headers.connection)?.toLowerCase();
    const http10 = statusLine[1] === '0';
    this.keepAlive = http10 ? connection === 'keep-alive' : connection !== 'close';
    const hint = KEEP_ALIVE_TIMEOUT.exec(headerText(headers['keep-alive']) ?? '');
    this.keepAliveHintMs = hint ? Number(hint[1]) * 1000 : undefined;
    this.sawHead = true;
    this.sink!.head(status, headers);
    const length = headerText(headers['content-length']);
    if (this.bodyless || status === 204 || status === 304) {
      this.finish(undefined);
    } else if (headerText(headers['transfer-encoding'])?.toLowerCase().includes('chunked')) {
      this.state = 'chunk-size';
    } else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new Error(`bad content-length "${length.slice(0, 40)}"`);
      this.remaining = Number(length);
      if (this.remaining === 0) this.finish(undefined);
      else this.state = 'length';
    } else {
      this.keepAlive = false;
      this.state = 'until-close';
    }
    return end + 4;
  }

  private finish(trailers: ParsedHeaders | undefined): void {
    this.state = 'done';
    this.ended += 1;
    const sink = this.sink!;
    this.sink = undefined;
    sink.end(trailers);
  }
}

/** `name: value` lines (empty ones skipped) → headers, names lower-cased. */
function parseHeaderLines(lines: readonly string[]): ParsedHeaders {
  const headers: ParsedHeaders = {};
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad header line "${line.slice(0, 80)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers[name];
    if (previous === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(previous)) previous.push(value);
    else headers[name] = `${previous}, ${value}`;
  }
  return headers;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
