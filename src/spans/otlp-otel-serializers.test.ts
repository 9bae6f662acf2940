import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeOtlpJson, decodeOtlpProto } from './index.js';
import type { Span } from './index.js';

/** Shortly after the spans below were recorded. */
const NOW_US = 1_700_000_000_000_000;
const SEC = 1_699_999_990;

/**
 * The test trace, recorded by the real OpenTelemetry SDK (service "checkout"):
 *
 *   GET /cart (SERVER, ERROR "db down", event "cache miss")
 *   ├── SELECT (CLIENT, peer.service=postgres, 400 ns)
 *   ├── render (INTERNAL, OK)
 *   ├── publish (PRODUCER, server.address=broker)
 *   └── consume (CONSUMER, net.peer.name=broker-2)
 */
let recorded: ReadableSpan[] = [];
let provider: BasicTracerProvider;

beforeAll(async () => {
  const exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'lab' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('hivelab-test', '1.2.3');
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    startTime: [SEC, 123_456_789],
    attributes: {
      'http.route': '/cart',
      'http.status_code': 200,
      'cache.hit': true,
      ratio: 0.5,
      labels: ['a', 'b'],
      ports: [1, 2],
    },
  });
  root.addEvent('cache miss', { key: 'cart:1' }, [SEC, 200_000_999]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'db down' });
  const inRoot = trace.setSpan(context.active(), root);
  const child = (
    name: string,
    kind: SpanKind,
    attributes: Record<string, string>,
    startNs: number,
    endNs: number,
  ): void => {
    tracer.startSpan(name, { kind, startTime: [SEC, startNs], attributes }, inRoot).end([SEC, endNs]);
  };
  child(
    'SELECT',
    SpanKind.CLIENT,
    { 'peer.service': 'postgres', 'server.address': 'db.local' },
    300_000_000,
    300_000_400,
  );
  const render = tracer.startSpan('render', { startTime: [SEC, 400_000_000] }, inRoot);
  render.setStatus({ code: SpanStatusCode.OK });
  render.end([SEC, 450_000_000]);
  child('publish', SpanKind.PRODUCER, { 'server.address': 'broker' }, 460_000_000, 470_000_000);
  child('consume', SpanKind.CONSUMER, { 'net.peer.name': 'broker-2' }, 480_000_000, 490_000_000);
  root.end([SEC, 623_456_000]);
  await provider.forceFlush();
  recorded = exporter.getFinishedSpans();
});

afterAll(async () => {
  await provider.shutdown();
});

function expectedSpans(): Span[] {
  const byName = new Map(recorded.map((s) => [s.name, s]));
  const ids = (name: string): { traceId: string; id: string } => ({
    traceId: byName.get(name)!.spanContext().traceId,
    id: byName.get(name)!.spanContext().spanId,
  });
  const rootId = ids('GET /cart').id;
  const local = { serviceName: 'checkout' };
  const scope = { 'otel.scope.name': 'hivelab-test', 'otel.scope.version': '1.2.3' };
  const spans: Span[] = [
    {
      ...ids('GET /cart'),
      name: 'GET /cart',
      kind: 'SERVER',
      timestamp: SEC * 1e6 + 123_456,
      duration: 499_999, // 499 999 211 ns
      localEndpoint: local,
      annotations: [{ timestamp: SEC * 1e6 + 200_000, value: 'cache miss' }],
      tags: {
        'http.route': '/cart',
        'http.status_code': '200',
        'cache.hit': 'true',
        ratio: '0.5',
        labels: '["a","b"]',
        ports: '[1,2]',
        'otel.status_code': 'ERROR',
        error: 'db down',
        ...scope,
      },
    },
    {
      ...ids('SELECT'),
      parentId: rootId,
      name: 'SELECT',
      kind: 'CLIENT',
      timestamp: SEC * 1e6 + 300_000,
      duration: 1, // 400 ns rounds up: 0 would mean "unknown"
      localEndpoint: local,
      remoteEndpoint: { serviceName: 'postgres' },
      tags: { 'peer.service': 'postgres', 'server.address': 'db.local', ...scope },
    },
    {
      ...ids('render'),
      parentId: rootId,
      name: 'render',
      timestamp: SEC * 1e6 + 400_000,
      duration: 50_000,
      localEndpoint: local,
      tags: { 'otel.status_code': 'OK', ...scope },
    },
    {
      ...ids('publish'),
      parentId: rootId,
      name: 'publish',
      kind: 'PRODUCER',
      timestamp: SEC * 1e6 + 460_000,
      duration: 10_000,
      localEndpoint: local,
      remoteEndpoint: { serviceName: 'broker' },
      tags: { 'server.address': 'broker', ...scope },
    },
    {
      ...ids('consume'),
      parentId: rootId,
      name: 'consume',
      kind: 'CONSUMER',
      timestamp: SEC * 1e6 + 480_000,
      duration: 10_000,
      localEndpoint: local,
      remoteEndpoint: { serviceName: 'broker-2' },
      tags: { 'net.peer.name': 'broker-2', ...scope },
    },
  ];
  return spans.sort((a, b) => a.id.localeCompare(b.id));
}

const byId = (spans: Span[]): Span[] => [...spans].sort((a, b) => a.id.localeCompare(b.id));

describe('OTLP from the real OpenTelemetry serializers', () => {
  test('JSON (JsonTraceSerializer) decodes to the expected spans', () => {
    const body = JsonTraceSerializer.serializeRequest(recorded)!;
    const result = decodeOtlpJson(Buffer.from(body), { nowUs: NOW_US });
    expect(result.errors).toEqual([]);
    expect(byId(result.spans)).toEqual(expectedSpans());
  });

  test('protobuf (ProtobufTraceSerializer) decodes to the expected spans', () => {
    const body = ProtobufTraceSerializer.serializeRequest(recorded)!;
    const result = decodeOtlpProto(body, { nowUs: NOW_US });
    expect(result.errors).toEqual([]);
    expect(byId(result.spans)).toEqual(expectedSpans());
  });
});
