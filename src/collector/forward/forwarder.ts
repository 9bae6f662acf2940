/**
 * A collector's forwarding: one `TargetExporter` per `--forward` target, fed with every
 * batch once the local store made it durable, and its counters in Prometheus text.
 */
import type { Span } from '../../spans/index.js';
import type { ForwardTarget } from './forward-target.js';
import { TargetExporter, type ForwardCounts, type ForwardOptions } from './target-exporter.js';

/** Counters of one target, with what it is. */
export interface ForwardTargetMetrics extends ForwardCounts {
  protocol: ForwardTarget['protocol'];
  url: string;
}

export class Forwarder {
  readonly #exporters: TargetExporter[];

  constructor(targets: readonly ForwardTarget[], options: ForwardOptions = {}) {
    this.#exporters = targets.map((target) => new TargetExporter(target, options));
  }

  /** Hands accepted spans to every target; never waits, never throws. */
  offer(spans: readonly Span[]): void {
    for (const exporter of this.#exporters) exporter.offer(spans);
  }

  metrics(): ForwardTargetMetrics[] {
    return this.#exporters.map((e) => ({ protocol: e.target.protocol, url: e.target.url, ...e.counts() }));
  }

  /** Sends what is queued for up to `graceMs`, then drops the rest. */
  async close(graceMs = 5_000): Promise<void> {
    await Promise.all(this.#exporters.map((e) => e.close(graceMs)));
  }
}

function label(value: string): string {
  return value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** The forwarding counters in the Prometheus text format (appended to `/metrics`). */
export function renderForwardMetrics(targets: readonly ForwardTargetMetrics[]): string {
  if (targets.length === 0) return '';
  const lines: string[] = [];
  const family = (
    name: string,
    type: 'counter' | 'gauge',
    help: string,
    value: (t: ForwardTargetMetrics) => number,
  ): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const t of targets) {
      lines.push(`${name}{protocol="${t.protocol}",target="${label(t.url)}"} ${value(t)}`);
    }
  };
  family(
    'hivelab_forward_spans_sent_total',
    'counter',
    'Spans the forward target acknowledged.',
    (t) => t.sent,
  );
  family(
    'hivelab_forward_spans_retried_total',
    'counter',
    'Spans sent again after a refusal or network error.',
    (t) => t.retried,
  );
  family(
    'hivelab_forward_spans_dropped_total',
    'counter',
    'Spans not forwarded: queue full, refused for good, or left at shutdown.',
    (t) => t.dropped,
  );
  family(
    'hivelab_forward_failed_requests_total',
    'counter',
    'Forward requests that failed.',
    (t) => t.failedRequests,
  );
  family('hivelab_forward_queue_spans', 'gauge', 'Spans waiting to be forwarded.', (t) => t.queued);
  return `${lines.join('\n')}\n`;
}
