/**
 * Ingest counters and their Prometheus text rendering. Counters are per transport
 * (`zipkin` or `otlp`) and encoding (`json` or `proto`).
 */

export type Transport = 'zipkin' | 'otlp';
export type Encoding = 'json' | 'proto';

/** Span counts for one transport and encoding. */
export interface IngestCounts {
  /** Spans in requests that could be read (accepted + rejected + dropped). */
  received: number;
  /** Spans acknowledged after the store made them durable. */
  accepted: number;
  /** Spans refused as invalid. */
  rejected: number;
  /** Spans refused because the ingest queue was full (answered 429/503). */
  dropped: number;
}

/** A snapshot of the collector's counters. */
export interface CollectorMetrics {
  byTransport: Readonly<Record<`${Transport}_${Encoding}`, IngestCounts>>;
  total: IngestCounts;
  /** Spans waiting for the store now. */
  queuedSpans: number;
  maxQueuedSpans: number;
  /** Requests refused with 4xx/5xx, by status code. */
  failedRequests: Readonly<Record<string, number>>;
}

const KEYS = ['zipkin_json', 'zipkin_proto', 'otlp_json', 'otlp_proto'] as const;

/** Mutable counters owned by the running collector. */
export class IngestCounters {
  private readonly counts = new Map<string, IngestCounts>(KEYS.map((k) => [k, zero()]));
  private readonly failed = new Map<string, number>();

  /** Adds to the counters of one transport and encoding. */
  add(transport: Transport, encoding: Encoding, delta: Partial<IngestCounts>): void {
    const c = this.counts.get(`${transport}_${encoding}`)!;
    c.received += delta.received ?? 0;
    c.accepted += delta.accepted ?? 0;
    c.rejected += delta.rejected ?? 0;
    c.dropped += delta.dropped ?? 0;
  }

  /** Counts a request answered with an error status. */
  failedRequest(status: number): void {
    const key = String(status);
    this.failed.set(key, (this.failed.get(key) ?? 0) + 1);
  }

  snapshot(queuedSpans: number, maxQueuedSpans: number): CollectorMetrics {
    const byTransport = Object.fromEntries(KEYS.map((k) => [k, { ...this.counts.get(k)! }])) as Record<
      (typeof KEYS)[number],
      IngestCounts
    >;
    const total = zero();
    for (const c of Object.values(byTransport)) {
      total.received += c.received;
      total.accepted += c.accepted;
      total.rejected += c.rejected;
      total.dropped += c.dropped;
    }
    return {
      byTransport,
      total,
      queuedSpans,
      maxQueuedSpans,
      failedRequests: Object.fromEntries(this.failed),
    };
  }
}

function zero(): IngestCounts {
  return { received: 0, accepted: 0, rejected: 0, dropped: 0 };
}

/** Renders metrics and store figures in the Prometheus text exposition format (0.0.4). */
export function renderPrometheus(
  metrics: CollectorMetrics,
  store: { spanCount: number; sizeBytes: number },
): string {
  const lines: string[] = [];
  const counter = (name: keyof IngestCounts, help: string): void => {
    const metric = `hivelab_spans_${name}_total`;
    lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} counter`);
    for (const [key, counts] of Object.entries(metrics.byTransport)) {
      const [transport, encoding] = key.split('_');
      lines.push(`${metric}{transport="${transport}",encoding="${encoding}"} ${counts[name]}`);
    }
  };
  counter('received', 'Spans in ingest requests that could be read.');
  counter('accepted', 'Spans acknowledged after they were durable in the store.');
  counter('rejected', 'Spans refused as invalid.');
  counter('dropped', 'Spans refused because the ingest queue was full.');
  const gauge = (name: string, help: string, value: number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  };
  gauge('hivelab_ingest_queue_spans', 'Spans waiting for the store.', metrics.queuedSpans);
  gauge('hivelab_ingest_queue_max_spans', 'Capacity of the ingest queue in spans.', metrics.maxQueuedSpans);
  gauge('hivelab_store_bytes', 'Bytes the trace store occupies.', store.sizeBytes);
  gauge('hivelab_store_spans', 'Spans in the trace store.', store.spanCount);
  lines.push(
    '# HELP hivelab_ingest_failed_requests_total Ingest requests answered with an error status, by status.',
    '# TYPE hivelab_ingest_failed_requests_total counter',
  );
  for (const [status, count] of Object.entries(metrics.failedRequests)) {
    lines.push(`hivelab_ingest_failed_requests_total{status="${status}"} ${count}`);
  }
  return `${lines.join('\n')}\n`;
}
