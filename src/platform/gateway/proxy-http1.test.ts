/**
 * The HTTP/1.1 proxy on real loopback sockets: a front server that forwards every request
 * with `forwardHttp1` to an "instance" (a node:http server, or a raw TCP server where the
 * test needs a misbehaving one).
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { newExchangeRecord } from './exchange-record.js';
import { forwardHttp1, type ForwardTarget } from './proxy-http1.js';
import { UpstreamPool } from './upstream-pool.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: Buffer;
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.close();
    if (server instanceof http.Server) server.closeAllConnections();
  });
  return (server.address() as AddressInfo).port;
}

/** A front server forwarding to `instancePort`; `errors` collects what forwardHttp1 rejected with. */
async function front(instancePort: number, onCancel?: (cancel: (error: Error) => void) => void) {
  const pool = new UpstreamPool();
  const errors: Error[] = [];
  const server = http.createServer((req, res) => {
    const target: ForwardTarget = {
      port: instancePort,
      path: req.url ?? '/',
      authority: 'fn.default.localhost',
      requestHeaders: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      responseHeaders: { 'x-hivelab-cold': '0' },
      onCancel: onCancel ?? (() => undefined),
      record: newExchangeRecord(),
    };
    forwardHttp1(pool, req, res, target).catch((error: Error) => {
      errors.push(error);
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end(error.message);
    });
  });
  const port = await listen(server);
  closers.push(() => pool.destroy());
  return { port, pool, errors };
}

function request(
  port: number,
  options: { method?: string; path?: string; body?: Buffer[]; headers?: http.OutgoingHttpHeaders } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            trailers: res.trailers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    for (const chunk of options.body ?? []) req.write(chunk);
    req.end();
  });
}

describe('forwardHttp1', () => {
  it('streams a large body both ways with the authority, trace context and response headers', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const instance = http.createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      req.pipe(res);
    });
    const { port } = await front(await listen(instance));
    const body = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const reply = await request(port, {
      method: 'POST',
      path: '/echo?x=1',
      body: [body],
      headers: { 'content-length': body.length, connection: 'keep-alive', 'x-custom': 'kept' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(body)).toBe(true);
    expect(reply.headers['x-hivelab-cold']).toBe('0');
    expect(seen.host).toBe('fn.default.localhost');
    expect(seen.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    expect(seen['x-custom']).toBe('kept');
    expect(seen['content-length']).toBe(String(body.length));
  });

  it('chunks a request body of unknown length and passes response trailers on', async () => {
    let seen: { headers: http.IncomingHttpHeaders; body: string } | undefined;
    const instance = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks).toString() };
        res.writeHead(200, { trailer: 'x-checksum' });
        res.write('part 1, ');
        res.addTrailers({ 'x-checksum': 'abc' });
        res.end('part 2');
      });
    });
    const { port } = await front(await listen(instance));
    const reply = await request(port, { method: 'POST', body: [Buffer.from('one '), Buffer.from('two')] });
    expect(seen?.headers['transfer-encoding']).toBe('chunked');
    expect(seen?.body).toBe('one two');
    expect(reply.body.toString()).toBe('part 1, part 2');
    expect(reply.trailers['x-checksum']).toBe('abc');
  });

  it('answers HEAD without waiting for a body', async () => {
    const instance = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.end();
    });
    const { port } = await front(await listen(instance));
    const reply = await request(port, { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('1000');
  });

  it('reuses one kept-alive connection for requests one after another', async () => {
    let connections = 0;
    const instance = http.createServer((_req, res) => res.end('ok'));
    instance.on('connection', () => connections++);
    const { port, pool } = await front(await listen(instance));
    for (let i = 0; i < 5; i++) expect((await request(port)).body.toString()).toBe('ok');
    expect(connections).toBe(1);
    expect(pool.size).toBe(1);
  });

  /**
   * A raw instance whose first connection answers one request, then closes as the next
   * arrives without answering (as a server does when its keep-alive timer fires just then);
   * later connections answer normally.
   */
  async function closingInstance(): Promise<{ port: number; connections: () => number }> {
    let connections = 0;
    const server = net.createServer((socket) => {
      const n = ++connections;
      let requests = 0;
      socket.on('data', () => {
        if (n === 1 && ++requests === 2) return socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=60\r\n\r\nok');
      });
      socket.on('error', () => undefined);
    });
    return { port: await listen(server), connections: () => connections };
  }

  it('sends a GET again on a new connection when a reused one closes before answering', async () => {
    const instance = await closingInstance();
    const { port, errors } = await front(instance.port);
    expect((await request(port)).status).toBe(200);
    const reply = await request(port);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('ok');
    expect(instance.connections()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('does not send a POST twice: it fails when the instance closed before answering', async () => {
    const instance = await closingInstance();
    const { port, errors } = await front(instance.port);
    const post = { method: 'POST', body: [Buffer.from('x')], headers: { 'content-length': 1 } };
    expect((await request(port, post)).status).toBe(200);
    const reply = await request(port, post);
    expect(reply.status).toBe(502);
    expect(errors.map((e) => e.message)).toEqual(['the instance closed the connection before answering']);
    expect(instance.connections()).toBe(1);
  });

  it('fails when the instance closes mid-response', async () => {
    const server = net.createServer((socket) => {
      socket.on('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part');
        setTimeout(() => socket.destroy(), 20);
      });
    });
    const { port, errors } = await front(await listen(server));
    await expect(request(port)).rejects.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['the instance closed the connection mid-response']);
  });

  it('fails with a clear reason on a malformed response', async () => {
    const server = net.createServer((socket) => {
      socket.on('data', () => socket.write('SPDY/3 200 OK\r\n\r\n'));
    });
    const { port, errors } = await front(await listen(server));
    expect((await request(port)).status).toBe(502);
    expect(errors[0]?.message).toMatch(/^bad response from the instance: bad status line/);
  });

  it('cancels: rejects with the reason and drops the connection', async () => {
    let cancel: ((error: Error) => void) | undefined;
    const instance = http.createServer(() => setTimeout(() => cancel?.(new Error('timed out')), 20));
    const { port, pool, errors } = await front(await listen(instance), (c) => (cancel = c));
    expect((await request(port)).status).toBe(502);
    expect(errors.map((e) => e.message)).toEqual(['timed out']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.size).toBe(0);
  });

  it('holds the instance back while the client does not read (backpressure)', async () => {
    const total = 48 * 1024 * 1024;
    let written = 0;
    const instance = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = (): void => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const { port } = await front(await listen(instance));
    const { writtenWhilePaused, received } = await new Promise<{
      writtenWhilePaused: number;
      received: number;
    }>((resolve, reject) => {
      http
        .get({ port, agent: false }, (res) => {
          res.pause();
          setTimeout(() => {
            const writtenWhilePaused = written;
            let bytes = 0;
            res.on('data', (c: Buffer) => (bytes += c.length));
            res.on('end', () => resolve({ writtenWhilePaused, received: bytes }));
            res.resume();
          }, 300);
        })
        .on('error', reject);
    });
    // Kernel buffers on two loopback hops hold a few MiB; unbounded relaying would have
    // taken most of the 48 MiB by then.
    expect(writtenWhilePaused).toBeLessThan(total / 2);
    expect(received).toBe(total);
  });
  it('forwards HTTP/2 requests: no body when HEADERS ended the stream, else chunked', async () => {
    const seen: { method: string; te: string | undefined; body: string }[] = [];
    const instance = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          te: req.headers['transfer-encoding'],
          body: Buffer.concat(chunks).toString(),
        });
        res.end('ok');
      });
    });
    const instancePort = await listen(instance);
    const pool = new UpstreamPool();
    closers.push(() => pool.destroy());
    const h2 = http2.createServer((req, res) => {
      const target: ForwardTarget = {
        port: instancePort,
        path: req.url,
        authority: 'fn.default.localhost',
        requestHeaders: {},
        responseHeaders: {},
        onCancel: () => undefined,
        record: newExchangeRecord(),
      };
      forwardHttp1(pool, req, res, target).catch(() => res.destroy());
    });
    const port = await listen(h2);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    closers.push(() => session.destroy());
    const call = (method: string, body?: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const stream = session.request(
          { ':method': method, ':path': '/' },
          { endStream: body === undefined },
        );
        let text = '';
        stream.on('data', (c: Buffer) => (text += c.toString()));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
        if (body !== undefined) stream.end(body);
      });
    expect(await call('GET')).toBe('ok');
    expect(await call('POST', 'h2 body')).toBe('ok');
    expect(seen).toEqual([
      { method: 'GET', te: undefined, body: '' },
      { method: 'POST', te: 'chunked', body: 'h2 body' },
    ]);
  });
  it('passes a small binary body through byte for byte (head and body in one write)', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const instance = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.end(bytes);
    });
    const { port } = await front(await listen(instance));
    expect((await request(port)).body.equals(bytes)).toBe(true);
  });

  it('sends the first chunk of a streamed body on at once, not with the rest', async () => {
    let clientGotFirst: () => void = () => undefined;
    const firstArrived = new Promise<void>((resolve) => (clientGotFirst = resolve));
    const instance = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('first;');
      // The rest only once the client has seen the first chunk: held back, this deadlocks.
      void firstArrived.then(() => res.end('second'));
    });
    const { port } = await front(await listen(instance));
    const text = await new Promise<string>((resolve, reject) => {
      http
        .get({ port, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
            if (body.startsWith('first;')) clientGotFirst();
          });
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    expect(text).toBe('first;second');
  }, 3000);
});
