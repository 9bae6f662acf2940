/**
 * Reads a request body into memory with a hard size limit, and undoes `Content-Encoding`
 * with the same limit on the decompressed size, so neither a large upload nor a gzip bomb
 * can make a server buffer without bound.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { HttpError } from '../errors.js';

/** What the reader needs of a request: `node:http`'s and `node:http2`'s both fit. */
export interface BodySource extends Readable {
  readonly headers: IncomingHttpHeaders;
  /** Cut when a client keeps sending far past the limit. */
  readonly socket?: { destroy(): void } | null;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

/** Thrown (as a 413) when a body is over the limit; carries what was read so far. */
export class BodyTooLargeError extends HttpError {
  constructor(limitBytes: number, what: 'body' | 'decompressed body') {
    super(413, `request ${what} is larger than the limit of ${limitBytes} bytes`, { connection: 'close' });
  }
}

/**
 * Collects the raw bytes of `request`, failing with 413 as soon as more than `maxBytes`
 * arrived (or are announced by `Content-Length`). After a 413 the rest of the body is
 * discarded, not buffered, and the caller should close the connection.
 */
export function readRawBody(request: BodySource, maxBytes: number): Promise<Buffer> {
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    discard(request, maxBytes);
    return Promise.reject(new BodyTooLargeError(maxBytes, 'body'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        discard(request, maxBytes);
        reject(new BodyTooLargeError(maxBytes, 'body'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * Drains what is left of a refused body without keeping it, so the client can read our
 * answer; a client that keeps sending far past the limit gets its connection cut.
 */
function discard(request: BodySource, maxBytes: number): void {
  let drained = 0;
  const cap = Math.max(maxBytes * 4, 1 << 20);
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > cap) request.socket?.destroy();
  });
  request.on('error', () => undefined);
  request.resume();
}

/**
 * Undoes `Content-Encoding` (gzip, deflate or identity) with `maxBytes` as the limit of the
 * decompressed size. Unknown encodings are a 415; corrupt data a 400.
 */
export async function decodeContentEncoding(
  raw: Buffer,
  encoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return raw;
  const inflater = name === 'gzip' || name === 'x-gzip' ? gunzip : name === 'deflate' ? inflate : undefined;
  if (!inflater) {
    throw new HttpError(415, `unsupported Content-Encoding "${name}": send gzip, deflate or no encoding`);
  }
  try {
    return await inflater(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyTooLargeError(maxBytes, 'decompressed body');
    }
    throw new HttpError(400, `body is not valid ${name} data: ${(error as Error).message}`);
  }
}

/** Reads and decodes a body: {@link readRawBody} then {@link decodeContentEncoding}. */
export async function readBody(request: BodySource, maxBytes: number): Promise<Buffer> {
  const raw = await readRawBody(request, maxBytes);
  return decodeContentEncoding(raw, request.headers['content-encoding'], maxBytes);
}
