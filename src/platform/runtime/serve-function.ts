/**
 * Serves an initialised function module on 127.0.0.1:`port`: HTTP/1.1 through its `node`
 * handler (straight from `http.createServer`) or its `fetch` handler (through the web
 * adapter), or h2c through its gRPC services.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type { EarlyListener } from './early-listener.js';
import type { FunctionModule, InvocationContext, NodeHttpHandler } from '../../sdk/index.js';
import { FAULT_HEADER, parseFaultOrder, type FaultOrder } from '../faults/index.js';
import { instanceFaults } from './instance-faults.js';
import { withFaults } from './fault-module.js';
import { buildInvocationContext } from './invocation-context.js';
import type { HeaderLookup } from './invocation-context.js';

/** A function being served. */
export interface ServedFunction {
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  /** Serve the connections of this listener (a prewarmed runtime's) instead of listening on `port`. */
  listener?: EarlyListener;
  protocol: 'http1' | 'h2c';
  /** Called after each answered invocation. */
  onInvocation: () => void;
}

/** Checks the shape of a module's default export; throws naming what is wrong. */
export function asFunctionModule(value: unknown, where: string): FunctionModule {
  if (typeof value !== 'object' || value === null) {
    throw new Error(
      `${where}: the default export must be a FunctionModule object (fetch or node, and/or grpc)`,
    );
  }
  const mod = value as FunctionModule;
  if (mod.fetch === undefined && mod.node === undefined && mod.grpc === undefined) {
    throw new Error(`${where}: the default export has no HTTP handler (fetch or node) nor grpc services`);
  }
  for (const field of ['fetch', 'node', 'init'] as const) {
    if (mod[field] !== undefined && typeof mod[field] !== 'function') {
      throw new Error(`${where}: ${field} must be a function, got ${typeof mod[field]}`);
    }
  }
  if (mod.fetch !== undefined && mod.node !== undefined) {
    throw new Error(`${where}: give one HTTP handler, fetch or node, not both`);
  }
  return mod;
}

export async function serveFunction(served: FunctionModule, options: ServeOptions): Promise<ServedFunction> {
  // Fault orders ride with each invocation's context, whatever its protocol.
  const faultOrders = new WeakMap<InvocationContext, FaultOrder>();
  const ownFaults = instanceFaults(process.env);
  const makeContext = (lookup: HeaderLookup): InvocationContext => {
    const ctx = buildInvocationContext(lookup, process.env);
    // A header (even `none`) means the platform decided; only without one the own env does.
    const header = lookup(FAULT_HEADER);
    const order = header !== undefined ? parseFaultOrder(header) : ownFaults?.(ctx);
    if (order) faultOrders.set(ctx, order);
    return ctx;
  };
  const mod = withFaults(served, (ctx) => faultOrders.get(ctx));
  if (options.protocol === 'h2c') {
    if (!mod.grpc || mod.grpc.length === 0) {
      throw new Error('protocol h2c (a port named h2c) needs grpc services in the function module');
    }
    const { startGrpcHost } = await import('./grpc-host.js');
    return startGrpcHost({
      services: mod.grpc,
      port: options.port,
      ...(options.listener ? { listener: options.listener } : {}),
      makeContext,
      onInvocation: options.onInvocation,
    });
  }
  const answer = mod.node
    ? nodeAnswerer(mod.node, options.onInvocation)
    : mod.fetch
      ? await webAnswerer(mod.fetch, options.onInvocation)
      : undefined;
  if (!answer) throw new Error('protocol http1 needs a fetch or node handler in the function module');
  // Required, not imported: `http` may not be loaded while a startup snapshot is built,
  // and a snapshot bundle has no dynamic import() of built-ins on Node 20.
  const http = createRequire(import.meta.url)('node:http') as typeof Http;
  const server = http.createServer((req, res) => void answer(req, res, contextOf(req)));
  server.keepAliveTimeout = 65_000;
  const { listener } = options;
  if (listener) {
    // What `listen` sets up for a server (its connection list, header and request
    // timeouts, closeIdleConnections), for one that is handed its connections.
    server.emit('listening');
    listener.handOver((socket) => {
      server.emit('connection', socket);
      // The http server reads through the stream only once it flows.
      socket.resume();
    });
    return {
      port: listener.port,
      close: async () => {
        // Not listening itself: close() only closes the idle connections and stops the timer.
        server.close(() => undefined);
        await listener.close();
      },
    };
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };

  function contextOf(req: Http.IncomingMessage): InvocationContext {
    return makeContext((name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
  }
}

type Answerer = (
  req: Http.IncomingMessage,
  res: Http.ServerResponse,
  ctx: InvocationContext,
) => Promise<void>;

/** The answer when a handler failed: 500 with the reason, or a cut connection once the head is out. */
function answerFailure(res: Http.ServerResponse, error: unknown): void {
  const reason = `function error: ${error instanceof Error ? error.message : String(error)}`;
  if (!res.headersSent) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(reason);
  } else if (!res.writableEnded) {
    // Part of the answer is out (a Node handler streams): appending the reason would corrupt
    // the body, so the client sees a truncated response instead.
    res.destroy(new Error(reason));
  }
}

/**
 * Node handlers get node's request and response as they are: no web `Request`/`Response`,
 * so nothing here (or in serving) loads undici. `onInvocation` fires once the response is over.
 */
function nodeAnswerer(handler: NodeHttpHandler, onInvocation: () => void): Answerer {
  return async (req, res, ctx) => {
    try {
      await handler(req, res, ctx);
    } catch (error) {
      answerFailure(res, error);
    }
    if (res.writableEnded || res.destroyed) onInvocation();
    else res.once('close', onInvocation);
  };
}

/** Web handlers get a `Request` and return a `Response`, through the adapter (which loads undici). */
async function webAnswerer(
  handler: NonNullable<FunctionModule['fetch']>,
  onInvocation: () => void,
): Promise<Answerer> {
  const { toWebRequest, writeWebResponse } = await import('./http-adapter.js');
  return async (req, res, ctx) => {
    try {
      // One async function rather than a .then chain: fewer promises per request.
      const response = await handler(await toWebRequest(req), ctx);
      await writeWebResponse(res, response);
    } catch (error) {
      answerFailure(res, error);
    }
    onInvocation();
  };
}
