/**
 * The invocation a piece of function code runs for, carried through async calls with
 * `AsyncLocalStorage`: `defineFunction` opens a scope per request, `traced()` opens a child
 * scope per traced call, and `call()` propagates the innermost scope's trace context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
// tracing/, not spans/: spans/index.js loads every codec (protobufjs), which would add
// ~150 ms to the cold start of every function that imports the SDK.
import { extractTraceContext, type TraceContext } from '../tracing/index.js';
import type { InvocationContext } from './function-module.js';

export interface InvocationScope {
  ctx: InvocationContext;
  /** The span new work is a child of: the incoming request's, or the enclosing traced() span. */
  parent: TraceContext | undefined;
}

const storage = new AsyncLocalStorage<InvocationScope>();

/** The scope of the invocation running now, if any. */
export function currentScope(): InvocationScope | undefined {
  return storage.getStore();
}

/** Runs `fn` inside `scope`. */
export function runInScope<R>(scope: InvocationScope, fn: () => R): R {
  return storage.run(scope, fn);
}

/** The scope of a fresh invocation: its parent is the trace context of the incoming headers. */
export function scopeFor(ctx: InvocationContext): InvocationScope {
  return { ctx, parent: extractTraceContext(ctx.traceHeaders) };
}
