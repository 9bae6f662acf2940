/**
 * hivelab's library API: what the CLI calls, for users who script experiments in TypeScript.
 */
export { UserError, HttpError } from './errors.js';
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from './spans/span.js';
export type { TraceStore, TraceQuery, RetentionPolicy, StoreStats } from './store/trace-store.js';
export type { FunctionSpec, AutoscalingSettings } from './platform/spec/function-spec.js';
