/**
 * Test support: scenarios of sidecar logs. Times are in microseconds after the base, whole
 * milliseconds so that every prefix (Envoy prints milliseconds) gives the same stages.
 */
import type { LogEvent } from './envoy-log-writer.js';

const ms = (value: number) => value * 1000;

/** Options of {@link http1Request}. */
export interface Http1RequestOptions {
  downstream: string;
  stream: string;
  upstream: string;
  requestId: string;
  /** Extra request headers (e.g. trace context) received from the caller. */
  received?: ReadonlyArray<readonly [string, string]>;
  /** Extra headers the router forwards (e.g. Envoy's own span id). */
  forwarded?: ReadonlyArray<readonly [string, string]>;
  startMs: number;
  /** The upstream's time between the write and the response. */
  processMs: number;
  path?: string;
  status?: string;
}

/**
 * One HTTP/1.1 request through one sidecar, new downstream and upstream connections:
 * connection 0-1 ms, parsing 1-2, request filters 2-4, socket waiting 4-7, write 7-8,
 * process 8-(8+P), read +0-1, upstream parsing +1-3, response filters +3-6.
 */
export function http1Request(options: Http1RequestOptions): LogEvent[] {
  const t = (offsetMs: number) => ms(options.startMs + offsetMs);
  const c = options.downstream;
  const s = options.stream;
  const u = options.upstream;
  const p = options.processMs;
  const path = options.path ?? '/hotels';
  return [
    { atUs: t(0), connection: c, message: 'raising connection event 2' },
    { atUs: t(0), connection: c, message: 'new connection from 10.0.0.1:36518' },
    { atUs: t(1), connection: c, message: 'read ready. dispatch_buffered_data=0' },
    { atUs: t(1), connection: c, message: 'parsing 111 bytes' },
    { atUs: t(1), connection: c, message: 'message begin' },
    { atUs: t(1), connection: c, message: 'new stream' },
    { atUs: t(2), connection: c, message: 'message complete' },
    {
      atUs: t(2),
      connection: c,
      stream: s,
      message: 'request headers complete (end_stream=true):',
      headers: [
        [':authority', 'search:8082'],
        [':path', path],
        [':method', 'GET'],
        ...(options.received ?? []),
      ],
    },
    {
      atUs: t(3),
      connection: c,
      stream: s,
      message: "cluster 'outbound|8082||search' match for URL '/hotels'",
    },
    {
      atUs: t(4),
      connection: c,
      stream: s,
      message: 'router decoding headers:',
      headers: [
        [':authority', 'search:8082'],
        [':path', path],
        [':method', 'GET'],
        ['x-request-id', options.requestId],
        ...(options.forwarded ?? options.received ?? []),
      ],
    },
    { atUs: t(4), message: 'queueing stream due to no available connections (ready=0 busy=0 connecting=0)' },
    { atUs: t(4), connection: u, message: 'connecting to 10.0.0.9:8082' },
    { atUs: t(6), connection: u, message: 'raising connection event 2' },
    { atUs: t(7), connection: u, message: 'creating stream' },
    { atUs: t(7), connection: c, stream: s, message: 'pool ready' },
    { atUs: t(7), connection: c, stream: s, message: 'proxying headers' },
    { atUs: t(8), connection: u, message: 'writing 226 bytes, end_stream false' },
    { atUs: t(8 + p), connection: u, message: 'read ready. dispatch_buffered_data=0' },
    { atUs: t(9 + p), connection: u, message: 'parsing 693 bytes' },
    { atUs: t(9 + p), connection: u, message: 'status_code 200' },
    {
      atUs: t(11 + p),
      connection: c,
      stream: s,
      message: 'end_stream: false, upstream response headers:',
      headers: [[':status', options.status ?? '200']],
    },
    { atUs: t(12 + p), connection: c, stream: s, message: 'upstream headers complete: end_stream=false' },
    {
      atUs: t(13 + p),
      connection: c,
      stream: s,
      message: 'encoding headers via codec (end_stream=false):',
      headers: [[':status', options.status ?? '200']],
    },
    { atUs: t(13 + p), connection: c, message: 'writing 233 bytes, end_stream false' },
    { atUs: t(14 + p), connection: u, message: 'message complete' },
    {
      atUs: t(14 + p),
      connection: c,
      stream: s,
      message: 'encoding data via codec (size=460 end_stream=true)',
    },
    { atUs: t(14 + p), connection: c, message: 'writing 460 bytes, end_stream false' },
    { atUs: t(14 + p), connection: c, stream: s, message: 'Codec completed encoding stream.' },
    { atUs: t(15 + p), connection: u, message: 'response complete' },
  ];
}

/** The stages {@link http1Request} gives, in microseconds [start, end] after the base. */
export function http1Stages(startMs: number, processMs: number): Array<[string, number, number]> {
  const t = (offsetMs: number) => ms(startMs + offsetMs);
  const p = processMs;
  return [
    ['connection', t(0), t(1)],
    ['downstream-parsing', t(1), t(2)],
    ['request-filters', t(2), t(4)],
    ['socket-waiting', t(4), t(7)],
    ['write', t(7), t(8)],
    ['process-time', t(8), t(8 + p)],
    ['read', t(8 + p), t(9 + p)],
    ['upstream-parsing', t(9 + p), t(11 + p)],
    ['response-filters', t(11 + p), t(14 + p)],
  ];
}
