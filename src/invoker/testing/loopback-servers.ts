/**
 * Loopback servers for the invoker's tests and benchmark: a helloworld gRPC server and an
 * HTTP server, both on ephemeral ports, both recording what they received and able to
 * delay answers (one at a time when `serial`) to play a slow or saturated function.
 */
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import {
  decodeHelloReply,
  decodeHelloRequest,
  encodeHelloReply,
  encodeHelloRequest,
  SAY_HELLO_PATH,
  type HelloReply,
  type HelloRequest,
} from '../clients/helloworld-codec.js';

export interface ReceivedRequest {
  authority: string;
  /** The client's address:port, one per connection. */
  peer: string;
  headers: Record<string, string>;
  body: string;
  /** `performance.now()` when the server saw it. */
  atMs: number;
}

export interface LoopbackServerOptions {
  /** Delay before each answer. @default 0 */
  delayMs?: number;
  /** Serve one request at a time (concurrency 1): each waits for the previous. @default false */
  serial?: boolean;
  /** Headers / initial metadata added to every answer. */
  responseHeaders?: Record<string, string>;
  /** HTTP status to answer. @default 200 */
  status?: number;
}

export interface LoopbackServer {
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/** Runs `work` after the previous one finished when serial, else at once. */
function gate(options: LoopbackServerOptions): (work: () => void) => void {
  let chain = Promise.resolve();
  const delay = (): Promise<void> => new Promise((r) => setTimeout(r, options.delayMs ?? 0));
  return (work) => {
    if (options.serial) {
      chain = chain.then(delay).then(work);
    } else {
      void delay().then(work);
    }
  };
}

/** A `helloworld.Greeter` server on 127.0.0.1:0. */
export async function startGreeterServer(options: LoopbackServerOptions = {}): Promise<LoopbackServer> {
  const server = new grpc.Server();
  const received: ReceivedRequest[] = [];
  const run = gate(options);
  const service: grpc.ServiceDefinition = {
    SayHello: {
      path: SAY_HELLO_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: encodeHelloRequest,
      requestDeserialize: decodeHelloRequest,
      responseSerialize: encodeHelloReply,
      responseDeserialize: decodeHelloReply,
    },
  };
  const sayHello: grpc.handleUnaryCall<HelloRequest, HelloReply> = (call, callback) => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(call.metadata.getMap())) headers[key] = value.toString();
    received.push({
      authority: call.getHost(),
      peer: call.getPeer(),
      headers,
      body: Buffer.from(call.request.vHiveMetadata).toString('utf8'),
      atMs: performance.now(),
    });
    run(() => {
      if (options.responseHeaders) {
        const md = new grpc.Metadata();
        for (const [k, v] of Object.entries(options.responseHeaders)) md.set(k, v);
        call.sendMetadata(md);
      }
      callback(null, { message: `Hello, ${call.request.name}!` });
    });
  };
  server.addService(service, { SayHello: sayHello });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()),
  };
}

/** An HTTP server on 127.0.0.1:0 that answers `{"ok":true}` (or echoes the body). */
export async function startHttpServer(options: LoopbackServerOptions = {}): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = [];
  const run = gate(options);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        authority: req.headers.host ?? '',
        peer: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        headers,
        body,
        atMs: performance.now(),
      });
      run(() => {
        res.writeHead(options.status ?? 200, {
          'content-type': 'application/json',
          ...options.responseHeaders,
        });
        res.end(body || '{"ok":true}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
