/**
 * Where the SDK's spans go: one shared `ZipkinReporter` per collector URL (batched, bounded,
 * never throwing into the function), or any sink a test or a host passes.
 *
 * The reporter module is loaded on first use, not at import: every built-in function
 * imports the SDK, and a cold start should not pay for tracing that is switched off.
 */
import type { Span } from '../tracing/index.js';
import type { ZipkinReporter } from '../zipkin-reporter/index.js';

/** The reporter's subsystem, loaded on first use (it loads node:http and node:https). */
const loadZipkinReporter = () => import('../zipkin-reporter/index.js');

export interface SpanSink {
  report(span: Span): void;
}

/** Spans held while the reporter module loads; more are dropped (telemetry never grows unbounded). */
const MAX_PENDING_SPANS = 1000;

class LazyZipkinSink implements SpanSink {
  private reporter: ZipkinReporter | undefined;
  private pending: Span[] = [];
  readonly ready: Promise<void>;

  constructor(url: string) {
    this.ready = loadZipkinReporter().then(
      ({ ZipkinReporter: Reporter }) => {
        try {
          this.reporter = new Reporter({ url, flushIntervalMs: 200 });
        } catch {
          // A malformed HIVELAB_ZIPKIN_URL must not break the function: tracing is just off.
        }
        for (const span of this.pending) this.reporter?.report(span);
        this.pending = [];
      },
      () => {
        this.pending = [];
      },
    );
  }

  report(span: Span): void {
    if (this.reporter) this.reporter.report(span);
    else if (this.pending.length < MAX_PENDING_SPANS) this.pending.push(span);
  }

  async flush(): Promise<void> {
    await this.ready;
    await this.reporter?.flush();
  }
}

const sinks = new Map<string, LazyZipkinSink>();

/** The shared sink for `zipkinUrl`, or `undefined` when tracing is off (no URL). */
export function sinkFor(zipkinUrl: string | undefined): SpanSink | undefined {
  if (zipkinUrl === undefined || zipkinUrl === '') return undefined;
  let sink = sinks.get(zipkinUrl);
  if (sink === undefined) {
    sink = new LazyZipkinSink(zipkinUrl);
    sinks.set(zipkinUrl, sink);
  }
  return sink;
}

/** Sends every span the SDK has queued; resolves when done (never rejects). */
export async function flushSpans(): Promise<void> {
  await Promise.all([...sinks.values()].map((sink) => sink.flush()));
}
