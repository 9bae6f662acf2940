/**
 * Requests as the trace UIs send them (query strings copied from their API clients):
 * Jaeger UI ≥ 2.19's v3 client (`packages/jaeger-ui/src/api/v3/client.ts`: snake_case
 * `query.*`, RFC 3339 times, `num_traces`), its legacy `/api` client, Zipkin Lens as
 * Zipkin serves it (`/zipkin/config.json`, `/zipkin/api/v2/…`), and seed 004's curl under
 * Istio's `/jaeger` base path. `{service}`, `{startUs}`, `{endUs}`, `{startIso}`,
 * `{endIso}`, `{endMs}` and `{traceId}` are filled in by the test.
 */
export interface RecordedRequest {
  ui: 'jaeger-v3' | 'jaeger' | 'lens' | 'seed004';
  path: string;
  /** What the answer must look like. */
  shape:
    | 'services-v3'
    | 'operations-v3'
    | 'summaries'
    | 'otlp'
    | 'jaeger-envelope'
    | 'json-array'
    | 'lens-config'
    | 'metrics-disabled';
}

export const RECORDED_UI_REQUESTS: readonly RecordedRequest[] = [
  { ui: 'jaeger-v3', path: '/api/v3/services', shape: 'services-v3' },
  { ui: 'jaeger-v3', path: '/api/v3/operations?service={service}', shape: 'operations-v3' },
  {
    ui: 'jaeger-v3',
    path: '/api/v3/trace-summaries?query.service_name={service}&query.start_time_min={startIso}&query.start_time_max={endIso}&query.num_traces=20',
    shape: 'summaries',
  },
  {
    ui: 'jaeger-v3',
    path: '/api/v3/trace-summaries?query.serviceName={service}&query.startTimeMin={startIso}&query.startTimeMax={endIso}&query.searchDepth=20',
    shape: 'summaries',
  },
  { ui: 'jaeger-v3', path: '/api/v3/traces/{traceId}', shape: 'otlp' },
  {
    ui: 'jaeger-v3',
    path: '/api/v3/traces?query.service_name={service}&query.start_time_min={startIso}&query.start_time_max={endIso}&query.search_depth=20',
    shape: 'otlp',
  },
  { ui: 'jaeger', path: '/api/services', shape: 'jaeger-envelope' },
  { ui: 'jaeger', path: '/api/services/{service}/operations', shape: 'jaeger-envelope' },
  { ui: 'jaeger', path: '/api/operations?service={service}&spanKind=server', shape: 'jaeger-envelope' },
  {
    ui: 'jaeger',
    path: '/api/traces?end={endUs}&limit=20&lookback=1h&maxDuration&minDuration&service={service}&start={startUs}',
    shape: 'jaeger-envelope',
  },
  { ui: 'jaeger', path: '/api/traces/{traceId}', shape: 'jaeger-envelope' },
  { ui: 'jaeger', path: '/api/dependencies?endTs={endMs}&lookback=604800000', shape: 'jaeger-envelope' },
  {
    ui: 'jaeger',
    path: '/api/metrics/latencies?service={service}&quantile=0.95&groupByOperation=true&endTs={endMs}&lookback=3600000&step=60000&ratePer=600000&spanKind=server',
    shape: 'metrics-disabled',
  },
  {
    ui: 'jaeger',
    path: '/api/metrics/calls?service={service}&endTs={endMs}&lookback=3600000&step=60000&ratePer=600000',
    shape: 'metrics-disabled',
  },
  {
    ui: 'jaeger',
    path: '/api/metrics/errors?service={service}&endTs={endMs}&lookback=3600000&step=60000&ratePer=600000',
    shape: 'metrics-disabled',
  },
  { ui: 'lens', path: '/zipkin/config.json', shape: 'lens-config' },
  { ui: 'lens', path: '/zipkin/api/v2/services', shape: 'json-array' },
  { ui: 'lens', path: '/zipkin/api/v2/spans?serviceName={service}', shape: 'json-array' },
  { ui: 'lens', path: '/zipkin/api/v2/remoteServices?serviceName={service}', shape: 'json-array' },
  {
    ui: 'lens',
    path: '/zipkin/api/v2/traces?serviceName={service}&endTs={endMs}&lookback=900000&limit=10',
    shape: 'json-array',
  },
  { ui: 'lens', path: '/zipkin/api/v2/trace/{traceId}', shape: 'json-array' },
  { ui: 'lens', path: '/zipkin/api/v2/autocompleteKeys', shape: 'json-array' },
  { ui: 'lens', path: '/zipkin/api/v2/dependencies?endTs={endMs}&lookback=86400000', shape: 'json-array' },
  {
    ui: 'seed004',
    path: '/jaeger/api/traces?service={service}&start={startUs}&end={endUs}&operation=%2Frolldice',
    shape: 'jaeger-envelope',
  },
  {
    ui: 'seed004',
    path: '/jaeger/api/traces?service={service}&start={startUs}&end={endUs}&limit=5&offset=1&orderBy=duration&direction=asc',
    shape: 'jaeger-envelope',
  },
];
