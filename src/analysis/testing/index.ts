/** Test support of analysis/: the synthetic request type (with planted anomalies) and the span factory. */
export { syntheticTrace, type Plant } from './synthetic-traces.js';
export { traceOf, T0_US, type SpanRow } from './make-span.js';
