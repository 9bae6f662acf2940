/**
 * spans/ for code that runs inside a function instance (the SDK): ids and trace-context
 * propagation, and the Zipkin reporter loaded on use, without the codecs that `index.ts`
 * also loads (protobufjs and the .proto schemas) and without node:http(s) until a span is
 * reported, so that a cold start does not pay for them. The second face of spans/, allowed
 * by the index-only-imports lint rule.
 */
export { newTraceId, newSpanId } from './id-generator.js';
export { extractTraceContext, injectTraceContext } from './trace-context.js';
export type { TraceContext } from './trace-context.js';
export type { ZipkinReporter, ZipkinReporterOptions, ZipkinReporterStats } from './zipkin-reporter.js';
export type { Span } from './span.js';

/** The Zipkin reporter's module, loaded on first use (it loads node:http and node:https). */
export const loadZipkinReporter = () => import('./zipkin-reporter.js');
