/**
 * `defineFunction`: what a function author's module default-exports. It returns the module
 * with every handler wrapped so that each invocation runs in its own scope, which is what
 * lets `traced()` and `call()` find the incoming trace context without passing it around.
 */
import type { FunctionModule, GrpcService } from './function-module.js';
import { runInScope, scopeFor } from './invocation-scope.js';

/**
 * Declares a function module (a `fetch` handler and/or gRPC services, and an optional `init`).
 * Does not mutate `module`.
 * @example export default defineFunction({ fetch: (req) => new Response('hi') });
 */
export function defineFunction(module: FunctionModule): FunctionModule {
  const { fetch: handler, grpc } = module;
  return {
    ...module,
    ...(handler ? { fetch: (request, ctx) => runInScope(scopeFor(ctx), () => handler(request, ctx)) } : {}),
    ...(grpc ? { grpc: grpc.map(wrapService) } : {}),
  };
}

function wrapService(service: GrpcService): GrpcService {
  const methods: GrpcService['methods'] = {};
  for (const [name, method] of Object.entries(service.methods)) {
    methods[name] = (request, ctx) => runInScope(scopeFor(ctx), () => method(request, ctx));
  }
  return { ...service, methods };
}
