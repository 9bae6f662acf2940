/**
 * `hivelab/sdk`: what a function author imports. `defineFunction` declares the module the
 * runtime hosts (a web-standard `Request → Response` handler or a Node-native `(req, res)`
 * one, and/or gRPC services), `traced()` records a function's CPU time, wall time and peak
 * memory as span tags, and `call()` invokes another function through the gateway with the trace context propagated.
 */
export type {
  FunctionModule,
  GrpcService,
  GrpcUnaryHandler,
  InvocationContext,
  NodeHttpHandler,
} from './function-module.js';
export { defineFunction } from './define-function.js';
export { traced, buildTracedSpan, type TracedOptions } from './traced.js';
export { call, targetHost, type CallInit } from './call.js';
export {
  startMeter,
  processProbe,
  type Measurement,
  type Meter,
  type ProcessProbe,
} from './resource-meter.js';
export { flushSpans, type SpanSink } from './span-sink.js';
export { currentScope, type InvocationScope } from './invocation-scope.js';
