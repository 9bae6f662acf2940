/**
 * Serves a function module's gRPC services over h2c: with the lean host on node:http2
 * (`lean-grpc-host.ts`) when its .proto files fit the lean subset, else with @grpc/grpc-js.
 * The gRPC libraries are required lazily (a plain HTTP function, or one served by the lean
 * host, never pays for loading them), and through `createRequire` so the same code also
 * works inside a startup-snapshot bundle. `HIVELAB_GRPC_HOST=grpc-js` forces grpc-js.
 */
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ProtoLoader from '@grpc/proto-loader';
import { leanRoutes, startLeanGrpcHost } from './lean-grpc-host.js';
import type { GrpcHost, GrpcHostOptions } from './grpc-host-types.js';

export type { GrpcHost, GrpcHostOptions } from './grpc-host-types.js';
import { UnsupportedProtoError } from './proto-schema.js';

function findService(
  root: GrpcJs.GrpcObject,
  qualifiedName: string,
): GrpcJs.ServiceClientConstructor | undefined {
  let node: unknown = root;
  for (const part of qualifiedName.split('.')) {
    if (typeof node !== 'object' && typeof node !== 'function') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'function' && 'service' in node
    ? (node as GrpcJs.ServiceClientConstructor)
    : undefined;
}

/** Starts a gRPC server on 127.0.0.1:`port` serving every unary method of `services`. */
export async function startGrpcHost(options: GrpcHostOptions): Promise<GrpcHost> {
  if (process.env.HIVELAB_GRPC_HOST !== 'grpc-js') {
    let routes: ReturnType<typeof leanRoutes> | undefined;
    try {
      routes = leanRoutes(options.services);
    } catch (error) {
      if (!(error instanceof UnsupportedProtoError)) throw error;
    }
    if (routes) return startLeanGrpcHost(options, routes);
  }
  return startGrpcJsHost(options);
}

/** The grpc-js server, for .proto files outside the lean subset (imports, oneof, streams…). */
async function startGrpcJsHost(options: GrpcHostOptions): Promise<GrpcHost> {
  // grpc-js binds its own port and takes no sockets: free the early one for it (the same
  // port, so the address the sandbox knows stays right; a connection held there is dropped
  // and the gateway's next one reaches grpc-js).
  await options.listener?.close();
  const requireFromHere = createRequire(import.meta.url);
  const grpc = requireFromHere('@grpc/grpc-js') as typeof GrpcJs;
  const protoLoader = requireFromHere('@grpc/proto-loader') as typeof ProtoLoader;
  const server = new grpc.Server();
  for (const service of options.services) {
    const definition = protoLoader.loadSync(service.protoPath, {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const root = grpc.loadPackageDefinition(definition);
    const ctor = findService(root, service.service);
    if (!ctor) {
      throw new Error(`grpc service '${service.service}' is not defined in ${service.protoPath}`);
    }
    const impl: GrpcJs.UntypedServiceImplementation = {};
    for (const [method, handler] of Object.entries(service.methods)) {
      impl[method] = (
        call: GrpcJs.ServerUnaryCall<Record<string, unknown>, Record<string, unknown>>,
        callback: GrpcJs.sendUnaryData<Record<string, unknown>>,
      ): void => {
        const ctx = options.makeContext((name) => {
          const value = call.metadata.get(name)[0];
          return value === undefined ? undefined : String(value);
        });
        Promise.resolve()
          .then(() => handler(call.request, ctx))
          .then(
            (reply) => {
              callback(null, reply);
              options.onInvocation();
            },
            (error: unknown) => {
              callback({
                code: grpc.status.INTERNAL,
                details: error instanceof Error ? error.message : String(error),
              });
              options.onInvocation();
            },
          );
      };
    }
    server.addService(ctor.service, impl);
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
