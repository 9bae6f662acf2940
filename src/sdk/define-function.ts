/**
 * `defineFunction`: what a function author's module default-exports. It returns the module
 * with every handler wrapped so that each invocation runs in its own scope, which is what
 * lets `traced()` and `call()` find the incoming trace context without passing it around.
 */
import type { FunctionModule, GrpcService } from './function-module.js';
import { runInScope, scopeFor } from './invocation-scope.js';

/**
 * Declares a function module: one HTTP handler (`fetch`, web-standard, or `node`, Node's own
 * request and response: faster, see `FunctionModule.node`) and/or gRPC services, and an
 * optional `init`. Does not mutate `module`.
 * @example export default defineFunction({ fetch: (req) => new Response('hi') });
 * @example export default defineFunction({ node: (req, res) => res.end('hi') });
 * @throws Error when both `fetch` and `node` are given
 */
export function defineFunction(module: FunctionModule): FunctionModule {
  const { fetch: fetchHandler, node: nodeHandler, grpc } = module;
  if (fetchHandler && nodeHandler) {
    throw new Error('defineFunction: give one HTTP handler, fetch (web Request/Response) or node, not both');
  }
  return {
    ...module,
    ...(fetchHandler
      ? { fetch: (request, ctx) => runInScope(scopeFor(ctx), () => fetchHandler(request, ctx)) }
      : {}),
    ...(nodeHandler
      ? { node: (req, res, ctx) => runInScope(scopeFor(ctx), () => nodeHandler(req, res, ctx)) }
      : {}),
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
