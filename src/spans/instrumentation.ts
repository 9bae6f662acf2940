/**
 * spans/ for code that runs inside a function instance (the SDK): ids, trace-context
 * propagation and the Zipkin reporter, without the codecs that `index.ts` also loads
 * (protobufjs and the .proto schemas), so that a cold start does not pay for them. The
 * second face of spans/, allowed by the index-only-imports lint rule.
 */
export { newTraceId, newSpanId } from './id-generator.js';
export { extractTraceContext, injectTraceContext } from './trace-context.js';
export type { TraceContext } from './trace-context.js';
export { ZipkinReporter } from './zipkin-reporter.js';
export type { ZipkinReporterOptions, ZipkinReporterStats } from './zipkin-reporter.js';
export type { Span } from './span.js';
