import { describe, expect, it } from 'vitest';
import { bufferedResponse, type BufferedResponse } from './buffered-response.js';
import { Http1ResponseParser } from './http1-response-parser.js';

/** Starts a response on the parser, feeds the parts, returns what completed. */
function exchange(parser: Http1ResponseParser, parts: string[], bodyless = false): BufferedResponse[] {
  const out: BufferedResponse[] = [];
  bufferedResponse(parser, bodyless, (r) => out.push(r));
  for (const part of parts) parser.push(Buffer.from(part, 'latin1'));
  return out;
}

describe('bufferedResponse', () => {
  it('collects a Content-Length response split at every byte', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Hivelab-Cold: 1\r\n\r\nhello';
    const [response, ...rest] = exchange(new Http1ResponseParser(), text.split(''));
    expect(rest).toEqual([]);
    expect(response?.status).toBe(200);
    expect(response?.headers['x-hivelab-cold']).toBe('1');
    expect(response?.body.toString()).toBe('hello');
    expect(response?.close).toBe(false);
  });

  it('collects chunked bodies with extensions and trailers, then the next response on the connection', () => {
    const parser = new Http1ResponseParser();
    const first = exchange(parser, [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n',
    ]);
    const second = exchange(parser, [
      'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy',
    ]);
    expect([...first, ...second].map((r) => [r.status, r.body.toString(), r.close])).toEqual([
      [200, 'Wikipedia', false],
      [503, 'busy', true],
    ]);
  });

  it('skips 100 Continue, reads no body after 204 or HEAD, and ends a close-delimited body at the close', () => {
    const parser = new Http1ResponseParser();
    expect(
      exchange(parser, ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n']).map((r) => r.status),
    ).toEqual([204]);
    expect(
      exchange(parser, ['HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'], true).map((r) => r.body.length),
    ).toEqual([0]);
    const open: BufferedResponse[] = [];
    bufferedResponse(parser, false, (r) => open.push(r));
    parser.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\npart one, '));
    parser.push(Buffer.from('part two'));
    expect(open).toEqual([]);
    expect(parser.closed()).toBe(true);
    expect(open.map((r) => [r.body.toString(), r.close])).toEqual([['part one, part two', true]]);
  });

  it('throws on garbage', () => {
    expect(() => exchange(new Http1ResponseParser(), ['SSH-2.0-OpenSSH\r\n\r\n'])).toThrow(/bad status line/);
    expect(() =>
      exchange(new Http1ResponseParser(), ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n']),
    ).toThrow(/bad content-length/);
    expect(() =>
      exchange(new Http1ResponseParser(), ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']),
    ).toThrow(/bad chunk size/);
  });
});
