import { describe, expect, it } from 'vitest';
import { Http1ResponseParser } from './http1-response-parser.js';

const feed = (parser: Http1ResponseParser, ...parts: string[]) =>
  parts.flatMap((p) => parser.push(Buffer.from(p, 'latin1')));

describe('Http1ResponseParser', () => {
  it('parses a Content-Length response split at every byte', () => {
    const parser = new Http1ResponseParser();
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Hivelab-Cold: 1\r\n\r\nhello';
    const out = feed(parser, ...text.split(''));
    expect(out.length).toBe(1);
    expect(out[0]!.status).toBe(200);
    expect(out[0]!.headers.get('x-hivelab-cold')).toBe('1');
    expect(out[0]!.body.toString()).toBe('hello');
    expect(out[0]!.close).toBe(false);
  });

  it('parses chunked bodies with extensions and trailers, and two responses in one packet', () => {
    const parser = new Http1ResponseParser();
    const out = feed(
      parser,
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n' +
        'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy',
    );
    expect(out.map((r) => [r.status, r.body.toString(), r.close])).toEqual([
      [200, 'Wikipedia', false],
      [503, 'busy', true],
    ]);
  });

  it('skips 100 Continue, handles 204 without a body, and close-delimited bodies', () => {
    const parser = new Http1ResponseParser();
    const out = feed(parser, 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    expect(out.map((r) => r.status)).toEqual([204]);
    expect(feed(parser, 'HTTP/1.0 200 OK\r\n\r\npart one, ', 'part two')).toEqual([]);
    const last = parser.end();
    expect(last?.body.toString()).toBe('part one, part two');
    expect(last?.close).toBe(true);
  });

  it('throws on garbage', () => {
    expect(() => feed(new Http1ResponseParser(), 'SSH-2.0-OpenSSH\r\n\r\n')).toThrow(/bad status line/);
    expect(() => feed(new Http1ResponseParser(), 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(
      /bad content-length/,
    );
    expect(() =>
      feed(new Http1ResponseParser(), 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    ).toThrow(/bad chunk size/);
  });
});
