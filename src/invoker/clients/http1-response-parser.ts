/**
 * An incremental HTTP/1.1 response parser, just enough for a load generator: status line,
 * headers (names lower-cased), and a body framed by Content-Length, chunked encoding, or
 * the end of the connection. Pure: bytes in, responses out; no sockets here.
 */

export interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
  /** The server asked to close (or the body ran to the end of the connection). */
  close: boolean;
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-trailer' | 'until-close';

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** Refuse absurd heads rather than buffer them forever. */
const MAX_HEAD_BYTES = 64 * 1024;

export class Http1ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private state: State = 'head';
  private current: ParsedResponse | undefined;
  private remaining = 0;
  private chunks: Buffer[] = [];

  /**
   * Feeds bytes; returns the responses completed by them (usually zero or one).
   * @throws Error on malformed input (the caller fails the request and drops the socket)
   */
  push(data: Buffer): ParsedResponse[] {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    const done: ParsedResponse[] = [];
    for (;;) {
      const response = this.step();
      if (response === 'more') break;
      if (response) done.push(response);
    }
    return done;
  }

  /** The connection ended: completes a close-delimited body, or says the response was cut. */
  end(): ParsedResponse | undefined {
    if (this.state === 'until-close' && this.current) {
      this.chunks.push(this.buffer);
      return this.finish();
    }
    return undefined;
  }

  /** True between the first byte of a response and its end. */
  get busy(): boolean {
    return this.state !== 'head' || this.buffer.length > 0;
  }

  /** One transition; `'more'` when more bytes are needed, a response when one completed. */
  private step(): ParsedResponse | undefined | 'more' {
    switch (this.state) {
      case 'head':
        return this.readHead();
      case 'length': {
        if (this.buffer.length < this.remaining) return 'more';
        this.chunks.push(this.take(this.remaining));
        return this.finish();
      }
      case 'chunk-size': {
        const eol = this.buffer.indexOf(CRLF);
        if (eol < 0) return 'more';
        const sizeText = this.take(eol + 2)
          .toString('latin1', 0, eol)
          .split(';')[0]!
          .trim();
        const size = Number.parseInt(sizeText, 16);
        if (!/^[0-9a-fA-F]+$/.test(sizeText) || !Number.isFinite(size))
          throw new Error(`bad chunk size "${sizeText}"`);
        this.remaining = size;
        this.state = size === 0 ? 'chunk-trailer' : 'chunk-data';
        return undefined;
      }
      case 'chunk-data': {
        if (this.buffer.length < this.remaining + 2) return 'more';
        this.chunks.push(this.take(this.remaining));
        this.take(2);
        this.state = 'chunk-size';
        return undefined;
      }
      case 'chunk-trailer': {
        // Trailers end with an empty line; none is the common case.
        const end = this.buffer.indexOf(CRLF);
        if (end < 0) return 'more';
        this.take(end + 2);
        return end === 0 ? this.finish() : undefined;
      }
      case 'until-close':
        return 'more';
    }
  }

  private readHead(): ParsedResponse | undefined | 'more' {
    if (this.buffer.length === 0) return 'more';
    const end = this.buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.buffer.length > MAX_HEAD_BYTES) throw new Error('response head over 64 KiB');
      return 'more';
    }
    const lines = this.take(end + 4)
      .toString('latin1', 0, end)
      .split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!statusLine) throw new Error(`bad status line "${(lines[0] ?? '').slice(0, 80)}"`);
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`bad header line "${line.slice(0, 80)}"`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const status = Number(statusLine[2]);
    // 1xx are interim (100 Continue): the real response follows on the same stream.
    if (status < 200) return undefined;
    const connection = headers.get('connection')?.toLowerCase();
    const close = connection === 'close' || (statusLine[1] === '0' && connection !== 'keep-alive');
    this.current = { status, headers, body: Buffer.alloc(0), close };
    this.chunks = [];
    const length = headers.get('content-length');
    if (status === 204 || status === 304) return this.finish();
    if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) {
      this.state = 'chunk-size';
    } else if (length !== undefined) {
      const n = Number(length);
      if (!Number.isInteger(n) || n < 0) throw new Error(`bad content-length "${length}"`);
      this.remaining = n;
      this.state = 'length';
    } else {
      this.current.close = true;
      this.state = 'until-close';
    }
    return undefined;
  }

  private take(n: number): Buffer {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  private finish(): ParsedResponse {
    const response = this.current!;
    response.body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.current = undefined;
    this.chunks = [];
    this.state = 'head';
    return response;
  }
}
