/**
 * Sends spans to a Zipkin v2 collector (`…/api/v2/spans`) in batches, off the request path.
 * Used by the gateway, the invoker and the SDK. Telemetry must never hurt the host: the
 * queue is bounded, overflow is dropped and counted, `report()` never throws, and send
 * failures are counted rather than retried forever.
 */
import http from 'node:http';
import https from 'node:https';
import { UserError } from '../errors.js';
import { encodeZipkinJson, type Span } from '../tracing/index.js';

export interface ZipkinReporterOptions {
  /** The collector's spans endpoint, e.g. `http://127.0.0.1:9411/api/v2/spans`. */
  url: string;
  /** Spans held while waiting to be sent; more are dropped. @default 10000 */
  maxQueueSpans?: number;
  /** Sends whatever is queued this often. @default 1000 */
  flushIntervalMs?: number;
  /** Spans per POST; a full batch is sent at once without waiting for the interval. @default 100 */
  batchSize?: number;
  /** Per-POST timeout. @default 5000 */
  timeoutMs?: number;
}

/** Counters: reported = sent + dropped + failed + still queued. */
export interface ZipkinReporterStats {
  /** Spans handed to `report()`. */
  reported: number;
  /** Spans the collector acknowledged (2xx). */
  sent: number;
  /** Spans refused because the queue was full or the reporter closed. */
  dropped: number;
  /** Spans whose POST failed (network error, timeout, non-2xx). */
  failed: number;
}

export class ZipkinReporter {
  readonly stats: ZipkinReporterStats = { reported: 0, sent: 0, dropped: 0, failed: 0 };
  private readonly url: URL;
  private readonly maxQueueSpans: number;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent;
  private readonly timer: NodeJS.Timeout;
  private queue: Span[] = [];
  private chain: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private closed = false;

  /** @throws UserError when `url` is not an http(s) URL or a size is not a positive integer. */
  constructor(options: ZipkinReporterOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new UserError(
        `zipkin url must be an http(s) URL, got "${options.url}"`,
        'e.g. http://127.0.0.1:9411/api/v2/spans',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserError(`zipkin url must be http or https, got "${options.url}"`);
    }
    this.url = url;
    this.maxQueueSpans = positiveInteger(options.maxQueueSpans, 10_000, 'maxQueueSpans');
    this.batchSize = positiveInteger(options.batchSize, 100, 'batchSize');
    this.timeoutMs = positiveInteger(options.timeoutMs, 5_000, 'timeoutMs');
    const flushIntervalMs = positiveInteger(options.flushIntervalMs, 1_000, 'flushIntervalMs');
    this.agent =
      url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    // Reporting must not keep a finished process alive.
    this.timer.unref();
  }

  /** Queues one span. Never throws; when full or closed, drops it and counts it. */
  report(span: Span): void {
    this.stats.reported++;
    if (this.closed || this.queue.length >= this.maxQueueSpans) {
      this.stats.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.batchSize && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /** Sends what is queued now; resolves when done (never rejects). Failures land in `stats.failed`. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.drain(this.closed));
    return this.chain;
  }

  /** Stops the timer, sends what is queued, counts anything left as failed; later reports are dropped. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    this.agent.destroy();
  }

  /** Sends batches until the queue is empty; on a failure, stops (the next tick retries later spans). */
  private async drain(final: boolean): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const ok = await this.post(batch);
      if (ok) {
        this.stats.sent += batch.length;
        continue;
      }
      this.stats.failed += batch.length;
      if (!final) return;
    }
  }

  private post(batch: readonly Span[]): Promise<boolean> {
    return new Promise((resolve) => {
      let body: string;
      try {
        body = encodeZipkinJson(batch);
      } catch {
        resolve(false);
        return;
      }
      const transport = this.url.protocol === 'https:' ? https : http;
      const req = transport.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300),
          );
          res.on('error', () => resolve(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end(body);
    });
  }
}

function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new UserError(`${field} must be a positive integer, got ${value}`);
  return value;
}
