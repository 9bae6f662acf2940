/**
 * zipkin-reporter/: a batching, bounded Zipkin v2 reporter that never throws into its
 * caller. Its own subsystem so that the SDK can load it on first use (it loads node:http and
 * node:https) while importing the rest of tracing/ eagerly; spans/ re-exports it.
 */
export { ZipkinReporter } from './zipkin-reporter.js';
export type { ZipkinReporterOptions, ZipkinReporterStats } from './zipkin-reporter.js';
