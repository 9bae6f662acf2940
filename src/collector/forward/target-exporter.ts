/**
 * Forwarding to one backend: a bounded queue of accepted spans, sent in batches, one
 * request at a time, each refused batch (429/502/503/504, network error, timeout) sent again
 * after a backoff until it goes through. `offer` never waits and never throws: when the
 * queue is full the new spans are dropped and counted (the local store has them anyway),
 * so a slow or dead backend cannot slow ingest.
 *
 * Invariant: offered = sent + dropped + queued (+ the batch in flight, counted in queued).
 */
import http from 'node:http';
import https from 'node:https';
import type { Span } from '../../spans/index.js';
import { encodeZipkinJson } from '../../spans/index.js';
import type { ForwardTarget } from './forward-target.js';
import { encodeOtlpJson } from './otlp-json-encoder.js';
import { postBody, type PostResult } from './post-body.js';
import {
  DEFAULT_BACKOFF,
  isRetryableStatus,
  parseRetryAfterMs,
  retryDelayMs,
  type BackoffOptions,
} from './retry-delay.js';

/** Tuning of a forwarder; every field has a default. */
export interface ForwardOptions {
  /** Spans held for a backend; more are dropped and counted. @default 100000 */
  maxQueuedSpans?: number;
  /** Spans per request. @default 1000 */
  maxBatchSpans?: number;
  /** How long a partial batch waits for more spans. @default 200 */
  flushIntervalMs?: number;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  /** Retry backoff. @default 100 ms doubling to 30 s, full jitter */
  backoff?: BackoffOptions;
  /** Where dropped batches are reported. @default stderr */
  log?: (line: string) => void;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
}

/** Counters of one backend. */
export interface ForwardCounts {
  /** Spans the backend acknowledged (2xx). */
  sent: number;
  /** Spans sent again after a refusal or a network error (once per retry). */
  retried: number;
  /** Spans given up: queue full, refused for good (4xx), or still queued at shutdown. */
  dropped: number;
  /** Spans waiting, including the batch in flight. */
  queued: number;
  /** Requests that failed (any non-2xx or network error). */
  failedRequests: number;
}

export class TargetExporter {
  readonly target: ForwardTarget;
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #maxQueued: number;
  readonly #maxBatch: number;
  readonly #flushIntervalMs: number;
  readonly #timeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #log: (line: string) => void;
  readonly #random: () => number;
  readonly #counts: ForwardCounts = { sent: 0, retried: 0, dropped: 0, queued: 0, failedRequests: 0 };
  #queue: Span[] = [];
  #running: Promise<void> | undefined;
  /** Ends the wait for a fuller batch (a full batch arrived, or closing). */
  #wakeFlush: (() => void) | undefined;
  /** Ends a backoff (only closing does: new spans must not hurry a retry). */
  #wakeBackoff: (() => void) | undefined;
  #closing = false;
  #abandoned = false;

  constructor(target: ForwardTarget, options: ForwardOptions = {}) {
    this.target = target;
    this.#url = new URL(target.url);
    this.#agent = new (this.#url.protocol === 'https:' ? https.Agent : http.Agent)({
      keepAlive: true,
      maxSockets: 1,
    });
    this.#maxQueued = options.maxQueuedSpans ?? 100_000;
    this.#maxBatch = options.maxBatchSpans ?? 1000;
    this.#flushIntervalMs = options.flushIntervalMs ?? 200;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#random = options.random ?? Math.random;
  }

  /** A copy of the counters. */
  counts(): ForwardCounts {
    return { ...this.#counts };
  }

  /** Queues accepted spans for this backend; O(1) apart from the copy of references. */
  offer(spans: readonly Span[]): void {
    if (this.#closing || this.#counts.queued + spans.length > this.#maxQueued) {
      this.#counts.dropped += spans.length;
      return;
    }
    for (const span of spans) this.#queue.push(span);
    this.#counts.queued += spans.length;
    if (this.#running !== undefined) {
      if (this.#queue.length >= this.#maxBatch) this.#wakeFlush?.();
      return;
    }
    this.#running = this.#run().finally(() => (this.#running = undefined));
  }

  /**
   * Sends what is queued for up to `graceMs`, then gives up on the rest (counted as dropped)
   * and closes the connections.
   */
  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    this.#wakeFlush?.();
    if (this.#running !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#running,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    this.#abandoned = true;
    this.#wakeBackoff?.();
    this.#counts.dropped += this.#counts.queued;
    this.#counts.queued = 0;
    this.#queue = [];
    this.#agent.destroy();
  }

  /** Waits `ms`, or less when woken through the given slot. */
  #sleep(ms: number, slot: 'flush' | 'backoff'): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      if (slot === 'flush') this.#wakeFlush = done;
      else this.#wakeBackoff = done;
    }).finally(() => {
      if (slot === 'flush') this.#wakeFlush = undefined;
      else this.#wakeBackoff = undefined;
    });
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0 && !this.#abandoned) {
      if (this.#queue.length < this.#maxBatch && !this.#closing)
        await this.#sleep(this.#flushIntervalMs, 'flush');
      const batch = this.#queue.splice(0, this.#maxBatch);
      if (batch.length === 0 || this.#abandoned) break;
      await this.#send(batch);
    }
  }

  /** Sends one batch until it is acknowledged, refused for good, or the exporter is abandoned. */
  async #send(batch: Span[]): Promise<void> {
    const body = this.target.protocol === 'otlp' ? encodeOtlpJson(batch) : encodeZipkinJson(batch);
    for (let attempt = 1; !this.#abandoned; attempt++) {
      let result: PostResult | Error;
      try {
        result = await postBody(this.#url, body, 'application/json', this.#agent, this.#timeoutMs);
      } catch (error) {
        result = error as Error;
      }
      if (this.#abandoned) return; // close() counted the batch as dropped
      if (!(result instanceof Error) && result.status >= 200 && result.status < 300) {
        this.#counts.sent += batch.length;
        this.#counts.queued -= batch.length;
        return;
      }
      this.#counts.failedRequests += 1;
      if (!(result instanceof Error) && !isRetryableStatus(result.status)) {
        this.#counts.dropped += batch.length;
        this.#counts.queued -= batch.length;
        this.#log(
          `collector: forward to ${this.target.url} refused ${batch.length} spans (${result.status}: ` +
            `${result.bodyStart.trim()}); dropped them`,
        );
        return;
      }
      const retryAfter =
        result instanceof Error ? undefined : parseRetryAfterMs(result.retryAfter, Date.now());
      await this.#sleep(retryDelayMs(attempt, retryAfter, this.#random(), this.#backoff), 'backoff');
      if (this.#abandoned) return;
      this.#counts.retried += batch.length;
    }
  }
}
