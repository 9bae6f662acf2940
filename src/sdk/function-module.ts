/**
 * What a JavaScript/TypeScript function module exports (its default export), and what the
 * runtime runner (`platform/runtime/`) hosts on `$PORT`. Built-in functions are such modules.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Per-invocation facts the runner hands to a handler. */
export interface InvocationContext {
  functionName: string;
  instanceId: string;
  /** W3C `traceparent` / B3 headers of the incoming request, to propagate downstream. */
  traceHeaders: Record<string, string>;
  /** Zipkin collector spans endpoint, when tracing is on (env `HIVELAB_ZIPKIN_URL`). */
  zipkinUrl: string | undefined;
}

/** A unary gRPC method implementation: decoded request object in, reply object out. */
export type GrpcUnaryHandler = (
  request: Record<string, unknown>,
  ctx: InvocationContext,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface GrpcService {
  /** Absolute path of the .proto file. */
  protoPath: string;
  /** Fully qualified service name, e.g. `helloworld.Greeter`. */
  service: string;
  /** Method name → implementation, e.g. `{ SayHello: … }`. */
  methods: Record<string, GrpcUnaryHandler>;
}

/**
 * Node-native HTTP handler: node's own request and response, served straight from
 * `http.createServer`. It must end `res` (it may do so after its promise settles); a throw or
 * rejection before anything was sent answers 500 `function error: <message>`, as the web path
 * does, and one after the head was sent closes the connection (the gateway answers 502).
 */
export type NodeHttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: InvocationContext,
) => void | Promise<void>;

export interface FunctionModule {
  /** Runs once per instance before it reports ready: the "function init" cold-start phase. */
  init?: () => void | Promise<void>;
  /** Web-standard HTTP handler (the portable choice). At most one of `fetch` and `node`. */
  fetch?: (request: Request, ctx: InvocationContext) => Response | Promise<Response>;
  /**
   * Node-native HTTP handler: no web `Request`/`Response`, so an instance never loads undici,
   * Node's lazily loaded web-fetch implementation: on Node 20 here ~20 ms less cold start
   * (helloworld process boot p50 83 → 63 ms) and ~75 µs less CPU per request (108 → 32 µs
   * for helloworld; a bare node server takes ~25). Use it when start-up or per-request cost
   * matters; `fetch` is the portable choice. At most one of `fetch` and `node`.
   */
  node?: NodeHttpHandler;
  /** gRPC services, served over h2c. */
  grpc?: GrpcService[];
}
