/**
 * Serves an initialised function module on 127.0.0.1:`port`: HTTP/1.1 through its `fetch`
 * handler, or h2c through its gRPC services.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type { FunctionModule } from '../../sdk/function-module.js';
import { buildInvocationContext } from './invocation-context.js';
import type { HeaderLookup } from './invocation-context.js';

/** A function being served. */
export interface ServedFunction {
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  protocol: 'http1' | 'h2c';
  /** Called after each answered invocation. */
  onInvocation: () => void;
}

/** Checks the shape of a module's default export; throws naming what is wrong. */
export function asFunctionModule(value: unknown, where: string): FunctionModule {
  if (typeof value !== 'object' || value === null) {
    throw new Error(`${where}: the default export must be a FunctionModule object (fetch and/or grpc)`);
  }
  const mod = value as FunctionModule;
  if (mod.fetch === undefined && mod.grpc === undefined) {
    throw new Error(`${where}: the default export has neither a fetch handler nor grpc services`);
  }
  return mod;
}

export async function serveFunction(mod: FunctionModule, options: ServeOptions): Promise<ServedFunction> {
  const makeContext = (lookup: HeaderLookup) => buildInvocationContext(lookup, process.env);
  if (options.protocol === 'h2c') {
    if (!mod.grpc || mod.grpc.length === 0) {
      throw new Error('protocol h2c (a port named h2c) needs grpc services in the function module');
    }
    const { startGrpcHost } = await import('./grpc-host.js');
    return startGrpcHost({
      services: mod.grpc,
      port: options.port,
      makeContext,
      onInvocation: options.onInvocation,
    });
  }
  const fetchHandler = mod.fetch;
  if (!fetchHandler) throw new Error('protocol http1 needs a fetch handler in the function module');
  // Required, not imported: `http` may not be loaded while a startup snapshot is built,
  // and a snapshot bundle has no dynamic import() of built-ins on Node 20.
  const http = createRequire(import.meta.url)('node:http') as typeof Http;
  const { toWebRequest, writeWebResponse } = await import('./http-adapter.js');
  const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse): Promise<void> => {
    const ctx = makeContext((name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
    try {
      // One async function rather than a .then chain: fewer promises per request.
      const response = await fetchHandler(await toWebRequest(req), ctx);
      await writeWebResponse(res, response);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`function error: ${error instanceof Error ? error.message : String(error)}`);
    }
    options.onInvocation();
  };
  const server = http.createServer((req, res) => void answer(req, res));
  server.keepAliveTimeout = 65_000;
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
}
