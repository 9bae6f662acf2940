/**
 * Unary gRPC over h2c on node:http2 alone, for function modules whose .proto files fit
 * `proto-schema.ts`'s subset: what an instance loads to serve gRPC is node's http2 plus
 * ~600 lines here, instead of @grpc/grpc-js and @grpc/proto-loader (protobufjs), which
 * cost ~90 ms of CPU at every cold start (measured: `require` of both, bundled, 87-92 ms
 * CPU; node:http2 ~20 ms at the same load). Wire behaviour as grpc-js's server gives it:
 * length-prefixed messages, `grpc-status`/`grpc-message` trailers (trailers-only for
 * errors), UNIMPLEMENTED for an unknown method, INTERNAL for a handler error,
 * DEADLINE_EXCEEDED past `grpc-timeout`, gzip/deflate request messages.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Http2 from 'node:http2';
import type * as Zlib from 'node:zlib';
import type { GrpcHost, GrpcHostOptions } from './grpc-host-types.js';
import { decodeMessage } from './proto-decode.js';
import { encodeMessage } from './proto-encode.js';
import { parseProto } from './proto-schema.js';
import type { MethodDef } from './proto-schema.js';
import type { GrpcUnaryHandler } from '../../sdk/index.js';

const STATUS = { OK: 0, DEADLINE_EXCEEDED: 4, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

interface Route {
  method: MethodDef;
  handler: GrpcUnaryHandler;
}

/**
 * The routes (`/pkg.Service/Method`) of `services`, from their .proto files.
 * @throws UnsupportedProtoError when a file needs grpc-js; Error for an unknown service.
 */
export function leanRoutes(services: GrpcHostOptions['services']): Map<string, Route> {
  const routes = new Map<string, Route>();
  const schemas = new Map<string, ReturnType<typeof parseProto>>();
  for (const service of services) {
    let schema = schemas.get(service.protoPath);
    if (!schema) {
      schema = parseProto(readFileSync(service.protoPath, 'utf8'));
      schemas.set(service.protoPath, schema);
    }
    const def = schema.services.get(service.service);
    if (!def) throw new Error(`grpc service '${service.service}' is not defined in ${service.protoPath}`);
    for (const [name, handler] of Object.entries(service.methods)) {
      const method = def.methods.get(name);
      if (method) routes.set(`/${def.fullName}/${name}`, { method, handler });
    }
  }
  return routes;
}

/** gRPC's percent-encoding of grpc-message (printable ASCII except '%' stays). */
function encodeMessageText(text: string): string {
  return Buffer.from(text, 'utf8').reduce((out, byte) => {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x25;
    return (
      out + (printable ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
    );
  }, '');
}

/** `grpc-timeout` ("100m", "30S", …) in ms, or undefined. */
export function parseGrpcTimeoutMs(value: string | undefined): number | undefined {
  const m = /^(\d{1,8})([HMSmun])$/.exec(value ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 }[m[2] as 'H'];
  return n * unit;
}

export async function startLeanGrpcHost(
  options: GrpcHostOptions,
  routes: Map<string, Route>,
): Promise<GrpcHost> {
  // Required here, not imported: http2 must not load while a startup snapshot is built.
  const requireFromHere = createRequire(import.meta.url);
  const http2 = requireFromHere('node:http2') as typeof Http2;
  const server = http2.createServer();
  const sessions = new Set<Http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => undefined);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => serveStream(stream, headers, routes, options, requireFromHere));
  const { listener } = options;
  if (listener) {
    listener.handOver((socket) => server.emit('connection', socket));
    return {
      port: listener.port,
      close: async () => {
        for (const session of sessions) session.close();
        await listener.close();
      },
    };
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : options.port);
    });
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // As grpc-js's tryShutdown: no new sessions; open ones finish their calls, then close.
        server.close(() => resolve());
        for (const session of sessions) session.close();
      }),
  };
}

function serveStream(
  stream: Http2.ServerHttp2Stream,
  headers: Http2.IncomingHttpHeaders,
  routes: Map<string, Route>,
  options: GrpcHostOptions,
  requireFromHere: NodeJS.Require,
): void {
  stream.on('error', () => undefined);
  const contentType = headers['content-type'] ?? '';
  if (!contentType.startsWith('application/grpc')) {
    stream.respond({ ':status': 415, 'content-type': 'text/plain' });
    stream.end('the content-type of a gRPC request is application/grpc');
    return;
  }
  let done = false;
  const finish = (status: number, message: string, reply?: Buffer): void => {
    if (done || stream.destroyed || stream.closed) return;
    done = true;
    clearTimeout(timer);
    if (reply === undefined) {
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc+proto',
          'grpc-status': String(status),
          'grpc-message': encodeMessageText(message),
        },
        { endStream: true },
      );
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
    const frame = Buffer.allocUnsafe(5 + reply.length);
    frame[0] = 0;
    frame.writeUInt32BE(reply.length, 1);
    reply.copy(frame, 5);
    stream.end(frame);
  };
  const timeoutMs = parseGrpcTimeoutMs(headers['grpc-timeout'] as string | undefined);
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => finish(STATUS.DEADLINE_EXCEEDED, 'Deadline exceeded'), timeoutMs);
  const path = headers[':path'] ?? '';
  const route = routes.get(path);
  if (!route) {
    stream.resume();
    finish(STATUS.UNIMPLEMENTED, `The server does not implement the method ${path}`);
    return;
  }
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.once('end', () => {
    let request: Record<string, unknown>;
    try {
      request = decodeMessage(
        unframe(Buffer.concat(chunks), headers, requireFromHere),
        route.method.requestType,
      );
    } catch (error) {
      finish(
        STATUS.INTERNAL,
        `error while decoding the request: ${String(error instanceof Error ? error.message : error)}`,
      );
      return;
    }
    const ctx = options.makeContext((name) => {
      const value = headers[name];
      const first = Array.isArray(value) ? value[0] : value;
      if (first === undefined) return undefined;
      return name.endsWith('-bin') ? Buffer.from(first, 'base64').toString() : first;
    });
    // Counted once the call is over on the wire (trailers included), not when the answer was
    // queued: the trailers go out a tick after the body, and the runner's first-invocation
    // report, sent from here, made the platform refill its prewarm pool (a process spawn on
    // the gateway's thread) before the gateway had the trailers of the cold call: measured
    // through the gateway, a prewarmed helloworld's cold gRPC call took ~1.5x longer.
    const counted = (): void => {
      if (stream.closed || stream.destroyed) options.onInvocation();
      else stream.once('close', options.onInvocation);
    };
    Promise.resolve()
      .then(() => route.handler(request, ctx))
      .then(
        (reply) => {
          let bytes: Buffer;
          try {
            bytes = encodeMessage(reply, route.method.responseType);
          } catch (error) {
            finish(STATUS.INTERNAL, error instanceof Error ? error.message : String(error));
            counted();
            return;
          }
          finish(STATUS.OK, '', bytes);
          counted();
        },
        (error: unknown) => {
          finish(STATUS.INTERNAL, error instanceof Error ? error.message : String(error));
          counted();
        },
      );
  });
}

/** The one message of a unary request: a 5-byte prefix (compressed flag, length) and the bytes. */
function unframe(body: Buffer, headers: Http2.IncomingHttpHeaders, requireFromHere: NodeJS.Require): Buffer {
  if (body.length < 5) throw new Error('no gRPC message in the request');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new Error('truncated gRPC message');
  const message = body.subarray(5, 5 + length);
  if (body[0] === 0) return message;
  const encoding = headers['grpc-encoding'];
  const zlib = requireFromHere('node:zlib') as typeof Zlib;
  if (encoding === 'gzip') return zlib.gunzipSync(message);
  if (encoding === 'deflate') return zlib.inflateSync(message);
  throw new Error(`compressed with ${String(encoding)}, which this server does not take`);
}
