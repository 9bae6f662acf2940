/**
 * The h2c proxy on real loopback sockets: a front node:http2 server (compatibility API, as
 * the gateway's) forwards every stream with `forwardH2` to an "instance" node:http2 server;
 * where the test needs the frames themselves, a TCP tap between the two records the bytes
 * the proxy sent.
 */
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { newExchangeRecord } from './exchange-record.js';
import { forwardH2, H2SessionPool } from './proxy-h2.js';
import type { GatewayRequest, GatewayResponse } from './server-types.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

async function listen(server: net.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/**
 * A front server forwarding every stream to `instancePort`, after `waitMs` (as the gateway
 * forwards once the activator has an instance: the request's body has arrived by then).
 */
async function front(instancePort: number, waitMs = 0): Promise<number> {
  const pool = new H2SessionPool();
  closers.push(() => pool.closeAll());
  const server = http2.createServer((req, res) => {
    const forward = (): void => {
      forwardH2(pool, req as unknown as GatewayRequest, res as unknown as GatewayResponse, {
        port: instancePort,
        path: req.url,
        authority: 'fn.default.localhost',
        requestHeaders: {},
        responseHeaders: {},
        onCancel: () => undefined,
        record: newExchangeRecord(),
      }).catch(() => res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    };
    if (waitMs > 0) setTimeout(forward, waitMs);
    else forward();
  });
  return listen(server);
}

/** A TCP relay to `port` that keeps every byte sent towards it. */
async function tap(port: number): Promise<{ port: number; sent: Buffer[] }> {
  const sent: Buffer[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => {
      sent.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    closers.push(() => client.destroy());
  });
  return { port: await listen(server), sent };
}

/** The HTTP/2 frames in `bytes` (a session's bytes after its preface): type, flags, length. */
function frames(bytes: Buffer): { type: number; flags: number; length: number }[] {
  const out: { type: number; flags: number; length: number }[] = [];
  let at = 0;
  while (at + 9 <= bytes.length) {
    const length = bytes.readUIntBE(at, 3);
    out.push({ type: bytes[at + 3]!, flags: bytes[at + 4]!, length });
    at += 9 + length;
  }
  return out;
}

const DATA = 0x0;
const END_STREAM = 0x1;

function session(port: number): http2.ClientHttp2Session {
  const s = http2.connect(`http://127.0.0.1:${port}`);
  closers.push(() => s.destroy());
  return s;
}

/** POSTs `body` on `client` and resolves with the answer's text. */
function post(client: http2.ClientHttp2Session, path: string, body: Buffer): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const stream = client.request({ ':method': 'POST', ':path': path });
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('forwardH2: the request body', () => {
  it('sends a unary body on the DATA frame that ends the stream, on an open session', async () => {
    const instance = http2.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const tapped = await tap(await listen(instance));
    const client = session(await front(tapped.port, 20));
    const body = Buffer.from('\0\0\0\0\x07\x0a\x05bench', 'latin1');
    const call = (): Promise<string> => post(client, '/helloworld.Greeter/SayHello', body);
    // The first call opens the proxy's session (its writes wait for the connect, and go
    // out together); the second goes on the open session, as a warm or preconnected one.
    expect(await call()).toBe('ok');
    tapped.sent.length = 0;
    expect(await call()).toBe('ok');
    const data = frames(Buffer.concat(tapped.sent)).filter((f) => f.type === DATA);
    // One frame: the message with END_STREAM, not the message then an empty frame.
    expect(data).toEqual([{ type: DATA, flags: END_STREAM, length: body.length }]);
  });

  it("passes a streaming call's messages on as they come, before the client ends", async () => {
    // The instance echoes each message at once; the client sends the next only after the echo.
    const instance = http2.createServer((req, res) => {
      res.writeHead(200);
      req.on('data', (chunk: Buffer) => res.write(chunk));
      req.on('end', () => res.end());
    });
    const client = session(await front(await listen(instance)));
    const stream = client.request({ ':method': 'POST', ':path': '/echo' });
    const echoes: string[] = [];
    const nextEcho = (): Promise<string> =>
      new Promise((resolve) => stream.once('data', (c: Buffer) => resolve(c.toString())));
    for (const message of ['one', 'two', 'three']) {
      const echoed = nextEcho();
      stream.write(message);
      echoes.push(await echoed);
    }
    const ended = new Promise((resolve) => stream.once('end', resolve));
    stream.resume();
    stream.end();
    await ended;
    expect(echoes).toEqual(['one', 'two', 'three']);
  });

  it('forwards a large body intact under backpressure (8 MiB through 64 KiB windows)', async () => {
    let received = 0;
    let sum = 0;
    const instance = http2.createServer((req, res) => {
      // A slow reader: the proxy must wait for the window rather than buffer everything.
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        for (const byte of chunk) sum = (sum + byte) % 65_521;
        req.pause();
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => res.end(String(received)));
    });
    const client = session(await front(await listen(instance)));
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) % 251;
    let expectedSum = 0;
    for (const byte of body) expectedSum = (expectedSum + byte) % 65_521;
    expect(await post(client, '/upload', body)).toBe(String(body.length));
    expect(sum).toBe(expectedSum);
  });
});
