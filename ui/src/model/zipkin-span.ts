/** The Zipkin v2 JSON span, as the collector's `/api/v2/…` answers carry it. */
export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

/** One span of a trace (timestamps and durations in microseconds). */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
  debug?: boolean;
  shared?: boolean;
}

/** A dependency link of `/api/v2/dependencies`. */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  errorCount?: number;
}

/** True when the span reports an error (Zipkin's `error` tag, or a 5xx HTTP status). */
export function isErrorSpan(span: ZipkinSpan): boolean {
  const tags = span.tags;
  if (!tags) return false;
  if (tags.error !== undefined) return true;
  const status = Number(tags['http.status_code']);
  return status >= 500;
}
