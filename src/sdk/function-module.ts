/**
 * What a JavaScript/TypeScript function module exports (its default export), and what the
 * runtime runner (`platform/runtime/`) hosts on `$PORT`. Built-in functions are such modules.
 */

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

export interface FunctionModule {
  /** Runs once per instance before it reports ready: the "function init" cold-start phase. */
  init?: () => void | Promise<void>;
  /** Web-standard HTTP handler. */
  fetch?: (request: Request, ctx: InvocationContext) => Response | Promise<Response>;
  /** gRPC services, served over h2c. */
  grpc?: GrpcService[];
}
