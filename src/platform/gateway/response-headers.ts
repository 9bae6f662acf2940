/**
 * Response headers (HTTP) and initial metadata (gRPC) the gateway adds to every proxied
 * response, so clients such as the invoker can tell cold starts without reading traces.
 */
export const RESPONSE_HEADERS = {
  /** `1` when this request waited for an instance to start, else `0`. */
  cold: 'x-hivelab-cold',
  instanceId: 'x-hivelab-instance-id',
  /** The trace id the gateway used for this request. */
  traceId: 'x-hivelab-trace-id',
} as const;
