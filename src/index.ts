/**
 * hivelab's library API: what the CLI calls, for users who script experiments in TypeScript.
 */
export { UserError, HttpError } from './errors.js';
export type { Span, SpanKind, Endpoint, Annotation, DependencyLink } from './spans/index.js';
export type { TraceStore, TraceQuery, RetentionPolicy, StoreStats } from './store/index.js';
export type { FunctionSpec, AutoscalingSettings } from './platform/index.js';
