/**
 * Real tracing clients (OpenTelemetry's Zipkin and OTLP exporters, zipkin-js) send to a
 * running collector on ephemeral ports with a SQLite store in a temp dir; the spans are
 * then read back through both the Zipkin v2 and the Jaeger APIs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are checked field by field. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Annotation, BatchRecorder, ExplicitContext, Tracer, jsonEncoder } from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import type { RunningCollector } from './index.js';
import { startCollector } from './index.js';

let dataDir: string;
let collector: RunningCollector;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-collector-clients-'));
  collector = await startCollector({ port: 0, otlpPort: 0, dataDir, log: () => undefined });
});

afterAll(async () => {
  await collector?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text,
  };
}

/** Sends a parent SERVER span and a child CLIENT span (with an event and an error) through `exporter`. */
async function sendWithOtel(exporter: SpanExporter, serviceName: string, batch: boolean): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('collector-test');
  const parent = tracer.startSpan('GET /hotels', {
    kind: SpanKind.SERVER,
    attributes: { 'http.method': 'GET' },
  });
  const traceId = parent.spanContext().traceId;
  const { trace, context } = await import('@opentelemetry/api');
  const child = tracer.startSpan(
    'search',
    { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'search', 'retry.count': 2 } },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('cache miss');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end();
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

/** Checks the two-span trace through the Zipkin v2 and the Jaeger APIs. */
async function expectTraceInBothApis(traceId: string, serviceName: string): Promise<void> {
  const zipkin = await getJson(`${collector.url}/api/v2/trace/${traceId}`);
  expect(zipkin.status).toBe(200);
  const spans = zipkin.body as {
    name: string;
    id: string;
    parentId?: string;
    kind?: string;
    [k: string]: any;
  }[];
  expect(spans.map((s) => s.name).sort()).toEqual(['get /hotels', 'search']);
  const parent = spans.find((s) => s.name === 'get /hotels')!;
  const child = spans.find((s) => s.name === 'search')!;
  expect(parent.kind).toBe('SERVER');
  expect(child.kind).toBe('CLIENT');
  expect(child.parentId).toBe(parent.id);
  expect(child.localEndpoint.serviceName).toBe(serviceName);
  expect(child.tags.error).toBeDefined();
  expect(child.annotations.map((a: { value: string }) => a.value)).toContain('cache miss');

  const jaeger = await getJson(`${collector.url}/api/traces/${traceId}`);
  expect(jaeger.status).toBe(200);
  expect(jaeger.body).toMatchObject({ total: 1, limit: 0, offset: 0, errors: null });
  const jt = jaeger.body.data[0];
  expect(jt.traceID).toBe(traceId);
  const jChild = jt.spans.find((s: { operationName: string }) => s.operationName === 'search');
  expect(jChild.references).toEqual([{ refType: 'CHILD_OF', traceID: traceId, spanID: parent.id }]);
  expect(jt.processes[jChild.processID].serviceName).toBe(serviceName);

  expect((await getJson(`${collector.url}/api/v2/services`)).body).toContain(serviceName);
  expect((await getJson(`${collector.url}/api/services`)).body.data).toContain(serviceName);
  const search = await getJson(`${collector.url}/api/traces?service=${serviceName}&operation=search&limit=5`);
  expect(search.body.data.map((t: { traceID: string }) => t.traceID)).toContain(traceId);
}

describe('collector with real clients', () => {
  it('@opentelemetry/exporter-zipkin (JSON v2 to /api/v2/spans)', async () => {
    const exporter = new ZipkinExporter({ url: `${collector.url}/api/v2/spans` });
    const traceId = await sendWithOtel(exporter, 'otel-zipkin', false);
    await expectTraceInBothApis(traceId, 'otel-zipkin');
  });

  it('@opentelemetry/exporter-trace-otlp-http (OTLP JSON to the OTLP port)', async () => {
    const exporter = new OtlpHttpExporter({ url: `${collector.otlpUrl}/v1/traces` });
    const traceId = await sendWithOtel(exporter, 'otel-otlp-json', true);
    await expectTraceInBothApis(traceId, 'otel-otlp-json');
    const m = collector.metrics().byTransport.otlp_json;
    expect(m.accepted).toBeGreaterThanOrEqual(2);
  });

  it('@opentelemetry/exporter-trace-otlp-proto (OTLP protobuf, gzip, to the main port)', async () => {
    const exporter = new OtlpProtoExporter({
      url: `${collector.url}/v1/traces`,
      compression: 'gzip' as never,
    });
    const traceId = await sendWithOtel(exporter, 'otel-otlp-proto', true);
    await expectTraceInBothApis(traceId, 'otel-otlp-proto');
    expect(collector.metrics().byTransport.otlp_proto.accepted).toBeGreaterThanOrEqual(2);
  });

  it('zipkin-js with HttpLogger and JSON_V2', async () => {
    // zipkin-transport-http's typings omit that HttpLogger is an EventEmitter.
    const logger = new HttpLogger({
      endpoint: `${collector.url}/api/v2/spans`,
      jsonEncoder: jsonEncoder.JSON_V2,
      httpInterval: 50,
    }) as HttpLogger & EventEmitter;
    const statuses: number[] = [];
    logger.on('success', (res: Response) => statuses.push(res.status));
    const tracer = new Tracer({
      ctxImpl: new ExplicitContext(),
      recorder: new BatchRecorder({ logger }),
      localServiceName: 'zipkin-js-app',
    });
    const id = tracer.createRootId();
    tracer.letId(id, () => {
      tracer.recordServiceName('zipkin-js-app');
      tracer.recordRpc('checkout');
      tracer.recordAnnotation(new Annotation.ServerRecv());
      tracer.recordBinary('order.id', '42');
      tracer.recordAnnotation(new Annotation.ServerSend());
    });
    const traceId = id.traceId;
    let trace: { status: number; body: any } | undefined;
    for (let i = 0; i < 100 && trace?.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      trace = await getJson(`${collector.url}/api/v2/trace/${traceId}`);
    }
    expect(statuses).toContain(202);
    expect(trace!.body).toHaveLength(1);
    expect(trace!.body[0]).toMatchObject({ name: 'checkout', kind: 'SERVER', tags: { 'order.id': '42' } });
    expect(trace!.body[0].localEndpoint.serviceName).toBe('zipkin-js-app');
    const jaeger = await getJson(`${collector.url}/api/traces/${traceId}`);
    expect(jaeger.body.data[0].spans[0].operationName).toBe('checkout');
  });

  it('zipkin-js with its default v1 encoder gets a 400 that says how to switch', async () => {
    const answers: { status: number; text: string }[] = [];
    const recordingFetch = async (url: string, init: RequestInit): Promise<Response> => {
      const res = await fetch(url, init);
      answers.push({ status: res.status, text: await res.clone().text() });
      return res;
    };
    const options = {
      endpoint: `${collector.url}/api/v2/spans`,
      httpInterval: 50,
      fetchImplementation: recordingFetch,
    };
    const logger = new HttpLogger(options) as HttpLogger & EventEmitter;
    const errors: Error[] = [];
    logger.on('error', (error: Error) => errors.push(error));
    const tracer = new Tracer({
      ctxImpl: new ExplicitContext(),
      recorder: new BatchRecorder({ logger }),
      localServiceName: 'zipkin-js-v1',
    });
    tracer.letId(tracer.createRootId(), () => {
      tracer.recordRpc('legacy');
      tracer.recordAnnotation(new Annotation.ServerRecv());
      tracer.recordBinary('k', 'v');
      tracer.recordAnnotation(new Annotation.ServerSend());
    });
    for (let i = 0; i < 100 && answers.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(answers[0]!.status).toBe(400);
    expect(answers[0]!.text).toMatch(/Zipkin v1/);
    expect(answers[0]!.text).toMatch(/JSON_V2/);
    for (let i = 0; i < 40 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(errors[0]?.message).toMatch(/status:400/);
    // The server keeps serving.
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
  });
});
