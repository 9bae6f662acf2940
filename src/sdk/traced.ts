/**
 * `traced(name, fn)`: seed 004's decorator for JavaScript. Each call of the wrapped function
 * is measured (CPU time, wall time, peak memory) and reported as a span, a child of the
 * invocation's incoming trace context (or of the enclosing `traced` span), with the tags
 * `cpu.ms`, `exec.ms`, `peak_mem.kb` and `function.name` that the analyzer aggregates.
 */
import { errorMessage } from '../errors.js';
import { newSpanId, newTraceId, type Span, type TraceContext } from '../tracing/index.js';
import type { InvocationContext } from './function-module.js';
import { currentScope, runInScope, type InvocationScope } from './invocation-scope.js';
import { startMeter, type Measurement, type ProcessProbe } from './resource-meter.js';
import { sinkFor, type SpanSink } from './span-sink.js';

export interface TracedOptions {
  /** Where spans go. @default the shared Zipkin reporter for the invocation's `zipkinUrl` or env `HIVELAB_ZIPKIN_URL` */
  sink?: SpanSink;
  /** `localEndpoint.serviceName`. @default the invocation's function name, env `HIVELAB_FUNCTION_NAME`, else `name` */
  serviceName?: string;
  /** Called with every call's figures (also when tracing is off). */
  onMeasured?: (measurement: Measurement) => void;
  /** For tests. @default the real process */
  probe?: ProcessProbe;
}

/** Pure: the span of one traced call. Tag values are strings, ms and KiB as design.md's seed 004 rows expect. */
export function buildTracedSpan(input: {
  name: string;
  serviceName: string;
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  startEpochUs: number;
  measurement: Measurement;
  error?: string;
  instanceId?: string;
}): Span {
  const { measurement } = input;
  const tags: Record<string, string> = {
    'function.name': input.name,
    'cpu.ms': measurement.cpuMs.toFixed(3),
    'exec.ms': measurement.execMs.toFixed(3),
    'peak_mem.kb': String(Math.round(measurement.peakMemKb)),
  };
  if (input.instanceId !== undefined) tags['instance.id'] = input.instanceId;
  if (input.error !== undefined) tags.error = input.error;
  return {
    traceId: input.traceId,
    id: input.spanId,
    ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
    name: input.name,
    timestamp: Math.round(input.startEpochUs),
    duration: Math.max(1, Math.round(measurement.execMs * 1000)),
    localEndpoint: { serviceName: input.serviceName },
    tags,
  };
}

/**
 * The instance's own facts from its environment. Read once per traced function, not per
 * call: `process.env` reads cost about a microsecond each, and an instance's environment
 * does not change while it runs.
 */
function instanceContext(fallbackName: string): InvocationContext {
  return {
    functionName: process.env.HIVELAB_FUNCTION_NAME || fallbackName,
    instanceId: process.env.HIVELAB_INSTANCE_ID ?? 'local',
    traceHeaders: {},
    zipkinUrl: process.env.HIVELAB_ZIPKIN_URL || undefined,
  };
}

/**
 * Wraps `fn` so that each call is measured and traced. Works for sync and async functions
 * (an async one is measured until its promise settles); the result and errors pass through.
 */
export function traced<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => R,
  options: TracedOptions = {},
): (...args: A) => R {
  let own: InvocationContext | undefined;
  return (...args: A): R => {
    own ??= instanceContext(name);
    const outer = currentScope();
    const parent = outer?.parent;
    const ctx: InvocationContext = outer?.ctx ?? own;
    const sink =
      parent?.sampled === false ? undefined : (options.sink ?? sinkFor(ctx.zipkinUrl ?? own.zipkinUrl));
    // Tracing off and nobody asking for figures: call the function bare (the enclosing scope,
    // if any, still carries the incoming trace context to call()), so built-ins pay nothing.
    if (sink === undefined && options.onMeasured === undefined) return fn(...args);
    const span: TraceContext = {
      traceId: parent?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      ...(parent?.spanId !== undefined ? { parentSpanId: parent.spanId } : {}),
      ...(parent?.sampled !== undefined ? { sampled: parent.sampled } : {}),
    };
    const scope: InvocationScope = { ctx, parent: span };
    const startEpochUs = (performance.timeOrigin + performance.now()) * 1000;
    const meter = startMeter(options.probe);
    const finish = (error?: unknown): void => {
      const measurement = meter.stop();
      options.onMeasured?.(measurement);
      sink?.report(
        buildTracedSpan({
          name,
          serviceName: options.serviceName ?? ctx.functionName,
          traceId: span.traceId,
          spanId: span.spanId,
          parentId: parent?.spanId,
          startEpochUs,
          measurement,
          instanceId: ctx.instanceId,
          ...(error !== undefined ? { error: errorMessage(error) } : {}),
        }),
      );
    };
    let result: R;
    try {
      result = runInScope(scope, () => fn(...args));
    } catch (error) {
      finish(error);
      throw error;
    }
    if (result instanceof Promise) {
      meter.sampleWhileWaiting();
      return result.then(
        (value: unknown) => {
          finish();
          return value;
        },
        (error: unknown) => {
          finish(error);
          throw error;
        },
      ) as R;
    }
    finish();
    return result;
  };
}
