/**
 * Calls the next function of the chain over gRPC, as vSwarm's functions do with `-addr`:
 * the address (`recog.default.svc.cluster.local:80`, or a bare name) becomes the call's
 * `:authority`, and the connection goes to the hivelab gateway (`HIVELAB_GATEWAY_URL`), which
 * routes Knative's cluster-local names to the function. The invocation's trace context goes
 * along as W3C and B3 metadata, so the whole chain is one trace.
 */
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { currentScope } from '../../sdk/index.js';
import { injectTraceContext } from '../../spans/index.js';

const requireHere = createRequire(import.meta.url);

/**
 * A unary method of a remote service: request object in, reply object out. `metadata` is
 * sent as well (after the invocation's trace context, so it may replace it).
 */
export type UnaryCall = (
  request: Record<string, unknown>,
  metadata?: Readonly<Record<string, string>>,
) => Promise<Record<string, unknown>>;

/**
 * Pure: vSwarm's `-addr` value → the authority the gateway routes on. A bare function name
 * (`recog`) becomes `recog.<namespace>.svc.cluster.local`; anything with a dot is kept.
 */
export function authorityFor(addr: string, namespace = 'default'): string {
  const trimmed = addr.trim().replace(/^[a-z]+:\/\//i, '');
  if (trimmed === '') throw new Error('next hop address: expected host[:port], got an empty string');
  const colon = trimmed.lastIndexOf(':');
  const host = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const port = colon === -1 ? '' : trimmed.slice(colon);
  return host.includes('.') ? trimmed : `${host}.${namespace}.svc.cluster.local${port}`;
}

/** Pure: `http://127.0.0.1:8080` → `127.0.0.1:8080` (the gRPC target of the gateway). */
export function gatewayTarget(gatewayUrl: string): string {
  const url = new URL(gatewayUrl);
  return `${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port || '80'}`;
}

export interface NextHopOptions {
  protoPath: string;
  /** Fully qualified service, e.g. `videoservice.ObjectRecognition`. */
  service: string;
  method: string;
  /** vSwarm's `-addr`. */
  addr: string;
  /** @default env HIVELAB_GATEWAY_URL */
  gatewayUrl?: string;
  /** @default 60000 */
  timeoutMs?: number;
}

/** A client for one method of the next function (one HTTP/2 connection, reused). */
export interface NextHop {
  call: UnaryCall;
  close(): void;
}

/** Connects lazily (on the first call) to the gateway, for `options.addr`. */
export function nextHop(options: NextHopOptions): NextHop {
  const grpc = requireHere('@grpc/grpc-js') as typeof GrpcJs;
  const protoLoader = requireHere('@grpc/proto-loader') as typeof ProtoLoader;
  const gatewayUrl = options.gatewayUrl ?? process.env.HIVELAB_GATEWAY_URL;
  if (!gatewayUrl)
    throw new Error('next hop: HIVELAB_GATEWAY_URL is not set (the platform sets it for instances)');
  const definition = protoLoader.loadSync(options.protoPath, {
    keepCase: true,
    longs: String,
    defaults: true,
  });
  const root = grpc.loadPackageDefinition(definition);
  let node: unknown = root;
  for (const part of options.service.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'function')
    throw new Error(`service ${options.service} is not in ${options.protoPath}`);
  const Client = node as GrpcJs.ServiceClientConstructor;
  const client = new Client(gatewayTarget(gatewayUrl), grpc.credentials.createInsecure(), {
    'grpc.default_authority': authorityFor(options.addr),
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  const method = client[options.method] as unknown;
  if (typeof method !== 'function') throw new Error(`method ${options.method} is not in ${options.service}`);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const call: UnaryCall = (request, extra = {}) =>
    new Promise((resolve, reject) => {
      const metadata = new grpc.Metadata();
      const parent = currentScope()?.parent;
      const headers: Record<string, string> = {};
      if (parent !== undefined) injectTraceContext(parent, headers);
      for (const [name, value] of Object.entries({ ...headers, ...extra })) metadata.set(name, value);
      const deadline = new Date(Date.now() + timeoutMs);
      (method as (...args: unknown[]) => void).call(
        client,
        request,
        metadata,
        { deadline },
        (error: GrpcJs.ServiceError | null, reply?: Record<string, unknown>) => {
          if (error)
            reject(
              new Error(
                `${options.service}/${options.method} at ${authorityFor(options.addr)}: ${error.details || error.message}`,
              ),
            );
          else resolve(reply ?? {});
        },
      );
    });
  return { call, close: () => client.close() };
}
