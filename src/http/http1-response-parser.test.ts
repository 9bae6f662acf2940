import { describe, expect, it } from 'vitest';
import { Http1ResponseParser, type ParsedHeaders } from './http1-response-parser.js';

interface Seen {
  status?: number;
  headers?: ParsedHeaders;
  body: Buffer[];
  trailers?: ParsedHeaders | undefined;
  ended: boolean;
}

function sinkFor(seen: Seen) {
  return {
    head: (status: number, headers: ParsedHeaders) => Object.assign(seen, { status, headers }),
    body: (chunk: Buffer) => seen.body.push(Buffer.from(chunk)),
    end: (trailers: ParsedHeaders | undefined) => Object.assign(seen, { trailers, ended: true }),
  };
}

/** Feeds `text` in pieces of `step` bytes (1 = every possible split point). */
function parse(
  text: string,
  step = text.length,
  bodyless = false,
): { seen: Seen; parser: Http1ResponseParser } {
  const parser = new Http1ResponseParser();
  const seen: Seen = { body: [], ended: false };
  parser.start(sinkFor(seen), bodyless);
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += step) parser.push(bytes.subarray(at, at + step));
  return { seen, parser };
}

const bodyOf = (seen: Seen): string => Buffer.concat(seen.body).toString('latin1');

describe('Http1ResponseParser', () => {
  const lengthResponse =
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nKeep-Alive: timeout=65\r\n' +
    'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\nhello world';

  it.each([1, 3, 7, 1000])('reads a Content-Length response pushed %i bytes at a time', (step) => {
    const { seen, parser } = parse(lengthResponse, step);
    expect(seen.status).toBe(200);
    expect(seen.headers).toMatchObject({
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
      'x-dup': '1, 2',
    });
    expect(bodyOf(seen)).toBe('hello world');
    expect(seen.ended).toBe(true);
    expect(parser.keepAlive).toBe(true);
    expect(parser.keepAliveHintMs).toBe(65_000);
    expect(parser.busy).toBe(false);
  });

  const chunked =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
    '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\ngrpc-status: 0\r\nx-t: y\r\n\r\n';

  it.each([1, 2, 5, 1000])('reads a chunked body and its trailers pushed %i bytes at a time', (step) => {
    const { seen } = parse(chunked, step);
    expect(bodyOf(seen)).toBe('hello world');
    expect(seen.trailers).toEqual({ 'grpc-status': '0', 'x-t': 'y' });
    expect(seen.ended).toBe(true);
  });

  it('ends a chunked body without trailers', () => {
    const { seen } = parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', 1);
    expect(bodyOf(seen)).toBe('abc');
    expect(seen.trailers).toBeUndefined();
    expect(seen.ended).toBe(true);
  });

  it('reads no body after HEAD, 204 and 304, whatever Content-Length says', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n', 1000, true).seen.ended).toBe(true);
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n').seen.ended).toBe(true);
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n').seen.ended).toBe(true);
  });

  it('skips interim 1xx responses', () => {
    const { seen } = parse(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
      4,
    );
    expect(seen.status).toBe(201);
    expect(bodyOf(seen)).toBe('ok');
  });

  it('reads a body without length up to the end of the connection, and never reuses it', () => {
    const { seen, parser } = parse('HTTP/1.1 200 OK\r\n\r\npart one, ', 5);
    expect(seen.ended).toBe(false);
    parser.push(Buffer.from('part two'));
    expect(parser.closed()).toBe(true);
    expect(bodyOf(seen)).toBe('part one, part two');
    expect(seen.ended).toBe(true);
    expect(parser.keepAlive).toBe(false);
  });

  it('says a response cut short by the close was incomplete', () => {
    const { seen, parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(parser.closed()).toBe(false);
    expect(seen.ended).toBe(false);
    expect(parser.headReceived).toBe(true);
  });

  it('honours Connection: close and HTTP/1.0 without keep-alive', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(
      false,
    );
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    expect(
      parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').parser.keepAlive,
    ).toBe(true);
  });

  it('flags bytes after the end of the response', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1').parser.trailingBytes).toBe(true);
  });

  it('parses the next response after start() on the same parser', () => {
    const { parser } = parse('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx');
    const seen: Seen = { body: [], ended: false };
    parser.start(sinkFor(seen), false);
    parser.push(Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno'));
    expect(seen.status).toBe(404);
    expect(bodyOf(seen)).toBe('no');
  });

  it.each([
    ['a bad status line', 'HTTP/2 200\r\n\r\n', /bad status line/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', /bad header line/],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /bad content-length/],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/],
    [
      'chunk data without its CRLF',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc',
      /not followed by CRLF/,
    ],
  ])('throws on %s', (_what, text, message) => {
    expect(() => parse(text)).toThrow(message);
  });

  it('refuses a head that never ends', () => {
    const parser = new Http1ResponseParser();
    parser.start(sinkFor({ body: [], ended: false }), false);
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
    expect(() => parser.push(Buffer.alloc(70 * 1024, 'a'))).toThrow(/over 64 KiB/);
  });
});
