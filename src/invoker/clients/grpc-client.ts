/**
 * gRPC client for vHive's `helloworld.Greeter/SayHello`. All endpoints are dialled at one
 * address (the gateway) with `grpc.default_authority` = the endpoint's hostname. One
 * channel per endpoint is reused for the whole run, unless `newConnectionPerRequest`
 * reproduces vHive's dial-per-request (whose cost then shows in the latency).
 */
import * as grpc from '@grpc/grpc-js';
import {
  decodeHelloReply,
  encodeHelloRequest,
  preloadHelloworld,
  SAY_HELLO_PATH,
  type HelloReply,
} from './helloworld-codec.js';
import { gatewayFields, type SendOutcome, type SendRequest, type TargetClient } from './target-client.js';

export interface GrpcClientOptions {
  /** @default '127.0.0.1' */
  address?: string;
  port: number;
  /** Per-call deadline (vHive's `-grpcTimeout`). */
  timeoutMs: number;
  /** @default false */
  newConnectionPerRequest?: boolean;
  /** The `name` field of each request. @default 'faas' (as vHive) */
  name?: string;
}

/** Creates a gRPC helloworld client; `close()` closes every channel. */
export function createGrpcClient(options: GrpcClientOptions): TargetClient {
  const target = `${options.address ?? '127.0.0.1'}:${options.port}`;
  const channels = new Map<string, grpc.Client>();

  function open(hostname: string, fresh: boolean): grpc.Client {
    const channelOptions: grpc.ChannelOptions = { 'grpc.default_authority': hostname };
    // A local pool stops grpc-js from sharing a connection with other channels.
    if (fresh) channelOptions['grpc.use_local_subchannel_pool'] = 1;
    return new grpc.Client(target, grpc.credentials.createInsecure(), channelOptions);
  }

  function clientFor(hostname: string): grpc.Client {
    let client = channels.get(hostname);
    if (!client) {
      client = open(hostname, false);
      channels.set(hostname, client);
    }
    return client;
  }

  function send(request: SendRequest): Promise<SendOutcome> {
    const fresh = options.newConnectionPerRequest === true;
    const client = fresh ? open(request.hostname, true) : clientFor(request.hostname);
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(request.headers)) metadata.set(key.toLowerCase(), value);
    const payload = encodeHelloRequest({
      name: options.name ?? 'faas',
      vHiveMetadata: Buffer.from(request.body ?? '', 'utf8'),
    });
    return new Promise((resolve) => {
      let initial: grpc.Metadata | undefined;
      const call = client.makeUnaryRequest<Buffer, HelloReply>(
        SAY_HELLO_PATH,
        (bytes) => bytes,
        decodeHelloReply,
        payload,
        metadata,
        { deadline: Date.now() + options.timeoutMs },
        (error, reply) => {
          if (fresh) client.close();
          const md = initial ?? error?.metadata;
          const fields = gatewayFields((name) => metadataValue(md, name));
          if (!error) {
            resolve({ ok: true, status: 'OK', body: reply?.message ?? '', ...fields });
            return;
          }
          resolve({
            ok: false,
            status: grpc.status[error.code] ?? String(error.code),
            errorKind: grpcErrorKind(error),
            errorMessage: error.details || error.message,
            ...fields,
          });
        },
      );
      call.on('metadata', (md: grpc.Metadata) => {
        initial = md;
      });
    });
  }

  /** Connects each endpoint's channel (bounded by the timeout); failures show up in the run. */
  async function prepare(hostnames: readonly string[]): Promise<void> {
    preloadHelloworld();
    if (options.newConnectionPerRequest) return;
    const deadline = Date.now() + Math.min(options.timeoutMs, 5000);
    await Promise.all(
      [...new Set(hostnames)].map(
        (hostname) =>
          new Promise<void>((resolve) => clientFor(hostname).waitForReady(deadline, () => resolve())),
      ),
    );
  }

  return {
    send,
    prepare,
    close: () => {
      for (const client of channels.values()) client.close();
      channels.clear();
    },
  };
}

function grpcErrorKind(error: grpc.ServiceError): SendOutcome['errorKind'] {
  if (error.code === grpc.status.DEADLINE_EXCEEDED) return 'timeout';
  if (error.code === grpc.status.UNAVAILABLE && /ECONNREFUSED|connection refused/i.test(error.details))
    return 'refused';
  return 'status';
}

function metadataValue(md: grpc.Metadata | undefined, name: string): string | undefined {
  const value = md?.get(name)[0];
  return value === undefined ? undefined : value.toString();
}
