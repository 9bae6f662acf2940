/**
 * A function module whose handlers first carry out the fault order their invocation came
 * with (the gateway's `x-hivelab-fault` header or gRPC metadata), for every protocol.
 */
import type { FunctionModule, InvocationContext } from '../../sdk/index.js';
import { applyFault, type FaultOrder } from '../faults/index.js';

/** Wraps every handler of `mod`; `orderOf` says what an invocation's context asks for. */
export function withFaults(
  mod: FunctionModule,
  orderOf: (ctx: InvocationContext) => FaultOrder | undefined,
): FunctionModule {
  const wrapped: FunctionModule = { ...mod };
  const { node, fetch, grpc } = mod;
  if (node) wrapped.node = (req, res, ctx) => applyFault(orderOf(ctx), () => node(req, res, ctx));
  if (fetch) wrapped.fetch = (request, ctx) => applyFault(orderOf(ctx), () => fetch(request, ctx));
  if (grpc)
    wrapped.grpc = grpc.map((service) => ({
      ...service,
      methods: Object.fromEntries(
        Object.entries(service.methods).map(([name, method]) => [
          name,
          (request: Record<string, unknown>, ctx: InvocationContext) =>
            applyFault(orderOf(ctx), () => method(request, ctx)),
        ]),
      ),
    }));
  return wrapped;
}
