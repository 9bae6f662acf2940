/**
 * The canonical span model: Zipkin v2's, because it is the common denominator of every
 * format hivelab speaks (OTLP and Jaeger map onto it without loss that matters here).
 *
 * Invariants for a span that passed validation (see the codecs):
 * - `traceId` is 16 or 32 lower-case hex characters (a 32-char id whose high half is all
 *   zeros is normalized to 16, as Zipkin does); `id` and `parentId` are 16 lower-case hex.
 * - `timestamp` and `duration` are integers in microseconds (epoch for `timestamp`).
 * - `tags` values are strings; `annotations` are sorted by timestamp.
 */

export type SpanKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export interface Endpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface Annotation {
  /** Epoch microseconds. */
  timestamp: number;
  value: string;
}

export interface Span {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  /** Absent means a local (in-process) span. */
  kind?: SpanKind;
  /** Epoch microseconds of the start. */
  timestamp?: number;
  /** Microseconds. */
  duration?: number;
  localEndpoint?: Endpoint;
  remoteEndpoint?: Endpoint;
  annotations?: Annotation[];
  tags?: Record<string, string>;
  debug?: boolean;
  shared?: boolean;
}

/** A link of the service dependency graph (Zipkin's `/api/v2/dependencies` item). */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount?: number;
}
