/**
 * Zipkin JSON as real clients send it, captured by a real HTTP server on an ephemeral port:
 * OpenTelemetry's Zipkin exporter and zipkin-js's HTTP transport (v2, and its v1 default).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import zipkin from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import { afterEach, describe, expect, test } from 'vitest';
import { SpanFormatError, decodeZipkinJson } from './index.js';

interface Capture {
  url: string;
  bodies: Buffer[];
  close(): Promise<void>;
}

async function captureServer(): Promise<Capture> {
  const bodies: Buffer[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v2/spans`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('Zipkin JSON from real clients', () => {
  test('OpenTelemetry Zipkin exporter', async () => {
    const server = await captureServer();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'otel-zipkin' }),
      spanProcessors: [new SimpleSpanProcessor(new ZipkinExporter({ url: server.url }))],
    });
    cleanups.push(
      () => provider.shutdown(),
      () => server.close(),
    );
    const tracer = provider.getTracer('t');
    const root = tracer.startSpan('GET /', {
      kind: SpanKind.SERVER,
      attributes: { 'http.status_code': 500 },
    });
    const child = tracer.startSpan('db', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), root));
    child.addEvent('retry');
    child.end();
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'oops' });
    root.end();
    await provider.forceFlush();
    await expect.poll(() => server.bodies.length, { timeout: 10_000 }).toBe(2);

    const spans = server.bodies.flatMap((b) => {
      const result = decodeZipkinJson(b);
      expect(result.errors).toEqual([]);
      return result.spans;
    });
    const rootSpan = spans.find((s) => s.name === 'GET /')!;
    const childSpan = spans.find((s) => s.name === 'db')!;
    expect(rootSpan).toMatchObject({
      traceId: root.spanContext().traceId,
      id: root.spanContext().spanId,
      kind: 'SERVER',
      localEndpoint: { serviceName: 'otel-zipkin' },
      tags: { 'http.status_code': '500', error: 'oops' },
    });
    expect(childSpan).toMatchObject({
      parentId: rootSpan.id,
      kind: 'CLIENT',
      annotations: [{ value: 'retry' }],
    });
    expect(rootSpan.timestamp).toBeGreaterThan(0);
  });

  function zipkinJsSpan(): InstanceType<typeof zipkin.model.Span> {
    const { model, TraceId, option } = zipkin;
    const span = new model.Span(
      new TraceId({
        traceId: '48485a3953bb6124',
        spanId: 'a2fb4a1d1a96d312',
        sampled: new option.Some(true),
      }),
    );
    span.setName('get');
    span.setKind('SERVER');
    span.setTimestamp(Date.now() * 1000);
    span.setDuration(1500);
    span.setLocalEndpoint(new model.Endpoint({ serviceName: 'zipkin-js', ipv4: '127.0.0.1', port: 3000 }));
    span.addAnnotation(Date.now() * 1000, 'cache miss');
    span.putTag('http.path', '/');
    return span;
  }

  test('zipkin-js HttpLogger with jsonEncoder JSON_V2', async () => {
    const server = await captureServer();
    cleanups.push(() => server.close());
    const logger = new HttpLogger({
      endpoint: server.url,
      httpInterval: 20,
      jsonEncoder: zipkin.jsonEncoder.JSON_V2,
    });
    logger.logSpan(zipkinJsSpan());
    await expect.poll(() => server.bodies.length, { timeout: 10_000 }).toBe(1);
    const result = decodeZipkinJson(server.bodies[0]!);
    expect(result.errors).toEqual([]);
    expect(result.spans).toEqual([
      expect.objectContaining({
        traceId: '48485a3953bb6124',
        id: 'a2fb4a1d1a96d312',
        kind: 'SERVER',
        duration: 1500,
        localEndpoint: { serviceName: 'zipkin-js', ipv4: '127.0.0.1', port: 3000 },
        tags: { 'http.path': '/' },
      }),
    ]);
  });

  test('zipkin-js HttpLogger with its default (v1) encoder gets the "switch to v2" error', async () => {
    const server = await captureServer();
    cleanups.push(() => server.close());
    const logger = new HttpLogger({ endpoint: server.url, httpInterval: 20 });
    logger.logSpan(zipkinJsSpan());
    await expect.poll(() => server.bodies.length, { timeout: 10_000 }).toBe(1);
    expect(() => decodeZipkinJson(server.bodies[0]!)).toThrow(SpanFormatError);
    expect(() => decodeZipkinJson(server.bodies[0]!)).toThrow(/Zipkin v1 JSON.*jsonEncoder: JSON_V2/s);
  });
});
