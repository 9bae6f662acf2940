import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../package-root.js';
import { startGrpcHost } from './grpc-host.js';
import type { GrpcHost } from './grpc-host.js';
import { parseGrpcTimeoutMs } from './lean-grpc-host.js';

const PROTO = path.join(packageRoot, 'proto', 'helloworld.proto');
type Reply = { message: string };
type Call = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, reply?: Reply) => void,
) => void;
type Greeter = grpc.Client & { SayHello: Call };
const GreeterClient = (
  grpc.loadPackageDefinition(protoLoader.loadSync(PROTO)) as unknown as {
    helloworld: {
      Greeter: new (address: string, creds: grpc.ChannelCredentials, options?: object) => Greeter;
    };
  }
).helloworld.Greeter;

let host: GrpcHost;
let invocations = 0;
const clients: grpc.Client[] = [];

beforeAll(async () => {
  host = await startGrpcHost({
    port: 0,
    services: [
      {
        protoPath: PROTO,
        service: 'helloworld.Greeter',
        methods: {
          SayHello: (request, ctx) => {
            if (request.name === 'boom') throw new Error('boom: 100% wrong');
            const meta = Buffer.isBuffer(request.vHiveMetadata) ? request.vHiveMetadata.toString() : '?';
            return { message: `Hello, ${String(request.name)}! ${meta} ${ctx.functionName}` };
          },
        },
      },
    ],
    makeContext: (lookup) => ({
      functionName: lookup('x-fn') ?? 'none',
      instanceId: lookup('x-tag-bin') ?? 'i',
      traceHeaders: {},
      zipkinUrl: undefined,
    }),
    onInvocation: () => invocations++,
  });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await host.close();
});

function client(options: object = {}): Greeter {
  const c = new GreeterClient(`127.0.0.1:${host.port}`, grpc.credentials.createInsecure(), options);
  clients.push(c);
  return c;
}

function call(
  c: Greeter,
  request: object,
  metadata = new grpc.Metadata(),
  deadlineMs = 10_000,
): Promise<Reply> {
  return new Promise((resolve, reject) =>
    c.SayHello(request, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) =>
      error ? reject(error) : resolve(reply!),
    ),
  );
}

describe('lean gRPC host (node:http2) with a grpc-js client', () => {
  it('answers a unary call with the decoded request, metadata in the context, and counts it', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-fn', 'greeter');
    const before = invocations;
    const reply = await call(client(), { name: 'lab', vHiveMetadata: Buffer.from('{"k":1}') }, metadata);
    expect(reply.message).toBe('Hello, lab! {"k":1} greeter');
    // Counted once the call is over on the server's side too (its stream closed), which may
    // come a moment after the client has the trailers.
    await vi.waitFor(() => expect(invocations).toBe(before + 1));
  });

  it('takes gzip-compressed requests', async () => {
    const reply = await call(client({ 'grpc.default_compression_algorithm': 2 }), { name: 'zipped' });
    expect(reply.message).toBe('Hello, zipped!  none');
  });

  it('answers INTERNAL with the handler error, and UNIMPLEMENTED for an unknown method', async () => {
    await expect(call(client(), { name: 'boom' })).rejects.toMatchObject({
      code: grpc.status.INTERNAL,
      details: 'boom: 100% wrong',
    });
    const c = client();
    const unknown = await new Promise<grpc.ServiceError>((resolve) =>
      c.makeUnaryRequest(
        '/helloworld.Greeter/Nope',
        (x: Buffer) => x,
        (x: Buffer) => x,
        Buffer.alloc(0),
        (error) => resolve(error!),
      ),
    );
    expect(unknown.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(unknown.details).toContain('/helloworld.Greeter/Nope');
  });

  it('keeps serving on one connection after a failed call', async () => {
    const c = client();
    await expect(call(c, { name: 'boom' })).rejects.toMatchObject({ code: grpc.status.INTERNAL });
    expect((await call(c, { name: 'again' })).message).toBe('Hello, again!  none');
  });

  it('leaves a .proto outside the lean subset (oneof) to grpc-js, which serves it', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hivelab-oneof-')), 'greet.proto');
    writeFileSync(
      file,
      'syntax = "proto3"; package helloworld; service Greeter { rpc SayHello (HelloRequest) returns (HelloReply); }\n' +
        'message HelloRequest { oneof who { string name = 1; int32 id = 2; } }\nmessage HelloReply { string message = 1; }\n',
    );
    const fallback = await startGrpcHost({
      port: 0,
      services: [
        {
          protoPath: file,
          service: 'helloworld.Greeter',
          // grpc-js with oneofs: true names the field that is set.
          methods: { SayHello: (request) => ({ message: `${String(request.who)}=${String(request.name)}` }) },
        },
      ],
      makeContext: () => ({ functionName: 'f', instanceId: 'i', traceHeaders: {}, zipkinUrl: undefined }),
      onInvocation: () => undefined,
    });
    try {
      const c = new GreeterClient(`127.0.0.1:${fallback.port}`, grpc.credentials.createInsecure());
      clients.push(c);
      expect((await call(c, { name: 'x' })).message).toBe('name=x');
    } finally {
      await fallback.close();
    }
  });

  it('reads grpc-timeout units', () => {
    expect(parseGrpcTimeoutMs('100m')).toBe(100);
    expect(parseGrpcTimeoutMs('30S')).toBe(30_000);
    expect(parseGrpcTimeoutMs('2M')).toBe(120_000);
    expect(parseGrpcTimeoutMs('5000u')).toBe(5);
    expect(parseGrpcTimeoutMs('x')).toBeUndefined();
    expect(parseGrpcTimeoutMs(undefined)).toBeUndefined();
  });
});
