/** Builds the per-request `InvocationContext` from request headers and the instance's env. */
import type { InvocationContext } from '../../sdk/index.js';

/** Headers that carry trace context (W3C and B3), lower case. */
const TRACE_HEADERS = [
  'traceparent',
  'tracestate',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-request-id',
];

/** Header lookup that works for node's header objects, web `Headers` and gRPC metadata. */
export type HeaderLookup = (name: string) => string | undefined;

/** Pure: picks the trace headers and the instance facts from `env`. */
export function buildInvocationContext(
  lookup: HeaderLookup,
  env: Record<string, string | undefined>,
): InvocationContext {
  const traceHeaders: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = lookup(name);
    if (value !== undefined && value !== '') traceHeaders[name] = value;
  }
  return {
    functionName: env.HIVELAB_FUNCTION_NAME ?? 'unknown',
    instanceId: env.HIVELAB_INSTANCE_ID ?? 'unknown',
    traceHeaders,
    zipkinUrl: env.HIVELAB_ZIPKIN_URL || undefined,
  };
}
