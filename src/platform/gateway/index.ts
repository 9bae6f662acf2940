/** The gateway: one port for HTTP/1.1 and h2c, routing, proxying, spans. */
export { createGatewayHandler, sendError } from './gateway.js';
export type { GatewayOptions, SpanSink } from './gateway.js';
export { listenDualProtocol } from './dual-protocol-server.js';
export type { DualProtocolServer } from './dual-protocol-server.js';
export { createUpstreamPool } from './proxy-http1.js';
export { RESPONSE_HEADERS } from './response-headers.js';
export { H2SessionPool } from './proxy-h2.js';
export { resolveRoute, stripPort, ADMIN_PREFIX } from './route.js';
export type { Route } from './route.js';
export { buildInvocationSpans, GATEWAY_SERVICE } from './invocation-spans.js';
export type { InvocationRecord } from './invocation-spans.js';
