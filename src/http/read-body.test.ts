import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { readBody } from './read-body.js';

const LIMIT = 1024;
let server: http.Server;
let url: string;

/** Echoes the decoded body's length, or the error status and reason. */
beforeAll(async () => {
  server = http.createServer((req, res) => {
    readBody(req, LIMIT).then(
      (body) => res.end(`ok ${body.length}`),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        res.writeHead(status, error instanceof HttpError ? error.headers : {});
        res.end((error as Error).message);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(body: Uint8Array, headers: Record<string, string> = {}): Promise<[number, string]> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return [res.status, await res.text()];
}

/** A chunked upload (no Content-Length), so the limit must be enforced while streaming. */
function postChunked(chunks: number, chunkBytes: number): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve([res.statusCode ?? 0, text]));
    });
    req.on('error', reject);
    for (let i = 0; i < chunks; i++) req.write(Buffer.alloc(chunkBytes, 97));
    req.end();
  });
}

describe('readBody', () => {
  it('reads a body within the limit, plain and gzip', async () => {
    expect(await post(Buffer.alloc(LIMIT, 1))).toEqual([200, `ok ${LIMIT}`]);
    expect(await post(zlib.gzipSync(Buffer.alloc(LIMIT, 1)), { 'content-encoding': 'gzip' })).toEqual([
      200,
      `ok ${LIMIT}`,
    ]);
    expect(await post(zlib.deflateSync(Buffer.alloc(10, 1)), { 'content-encoding': 'deflate' })).toEqual([
      200,
      'ok 10',
    ]);
  });

  it('answers 413 for a body over the limit, announced or streamed', async () => {
    const [status, text] = await post(Buffer.alloc(LIMIT + 1));
    expect(status).toBe(413);
    expect(text).toBe(`request body is larger than the limit of ${LIMIT} bytes`);
    expect((await postChunked(8, 512))[0]).toBe(413);
  });

  it('answers 413 for a gzip bomb: the decompressed size is limited too', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(LIMIT * 16);
    const [status, text] = await post(bomb.subarray(0, Math.min(bomb.length, LIMIT)), {
      'content-encoding': 'gzip',
    });
    // A truncated stream still inflates past the limit before it runs out of input.
    expect(status).toBe(413);
    expect(text).toBe(`request decompressed body is larger than the limit of ${LIMIT} bytes`);
  });

  it('answers 400 for corrupt gzip and 415 for an unknown encoding', async () => {
    const [status, text] = await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(status).toBe(400);
    expect(text).toMatch(/^body is not valid gzip data/);
    const [status2, text2] = await post(Buffer.from('x'), { 'content-encoding': 'br' });
    expect(status2).toBe(415);
    expect(text2).toMatch(/unsupported Content-Encoding "br"/);
  });
});
