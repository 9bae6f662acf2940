/**
 * Where the SDK's spans go: one shared `ZipkinReporter` per collector URL (batched, bounded,
 * never throwing into the function), or any sink a test or a host passes.
 */
import { ZipkinReporter, type Span } from '../spans/index.js';

export interface SpanSink {
  report(span: Span): void;
}

const reporters = new Map<string, ZipkinReporter>();

/** The shared reporter for `zipkinUrl`, or `undefined` when tracing is off (no URL). */
export function sinkFor(zipkinUrl: string | undefined): SpanSink | undefined {
  if (zipkinUrl === undefined || zipkinUrl === '') return undefined;
  let reporter = reporters.get(zipkinUrl);
  if (reporter === undefined) {
    try {
      reporter = new ZipkinReporter({ url: zipkinUrl, flushIntervalMs: 200 });
    } catch {
      // A malformed HIVELAB_ZIPKIN_URL must not break the function: tracing is just off.
      return undefined;
    }
    reporters.set(zipkinUrl, reporter);
  }
  return reporter;
}

/** Sends every span the SDK has queued; resolves when done (never rejects). */
export async function flushSpans(): Promise<void> {
  await Promise.all([...reporters.values()].map((reporter) => reporter.flush()));
}
