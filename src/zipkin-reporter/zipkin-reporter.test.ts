import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { decodeZipkinJson, type Span } from '../spans/index.js';
import { makeSpan } from '../spans/testing/index.js';
import { ZipkinReporter } from './index.js';

interface Collector {
  url: string;
  batches: Span[][];
  requests: { method?: string; url?: string; contentType?: string }[];
  /** Status answered; 202 unless changed. */
  status: number;
  close(): Promise<void>;
}

/** A real HTTP server on an ephemeral port, decoding what it receives with our decoder. */
async function startCollector(): Promise<Collector> {
  const collector: Collector = { url: '', batches: [], requests: [], status: 202, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      collector.requests.push({ method: req.method, url: req.url, contentType: req.headers['content-type'] });
      collector.batches.push(decodeZipkinJson(Buffer.concat(chunks)).spans);
      res.writeHead(collector.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  collector.url = `http://127.0.0.1:${port}/api/v2/spans`;
  collector.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return collector;
}

/** A URL where nothing listens: a server bound to port 0, then closed. */
async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v2/spans`;
}

/** The i-th span a test reports (the one span factory, numbered by name, duration and tag). */
function spanNo(i: number): Span {
  return makeSpan({
    name: `op-${i}`,
    timestamp: Date.now() * 1000,
    duration: 10 + i,
    localEndpoint: { serviceName: 'gateway' },
    tags: { i: String(i) },
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('ZipkinReporter', () => {
  test('sends spans in batches of batchSize as Zipkin v2 JSON', async () => {
    const collector = await startCollector();
    const reporter = new ZipkinReporter({ url: collector.url, batchSize: 10, flushIntervalMs: 60_000 });
    cleanups.push(
      () => reporter.close(),
      () => collector.close(),
    );
    const spans = Array.from({ length: 25 }, (_, i) => spanNo(i));
    for (const span of spans) reporter.report(span);
    await reporter.flush();
    expect(collector.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(collector.batches.flat()).toEqual(spans);
    expect(collector.requests[0]).toEqual({
      method: 'POST',
      url: '/api/v2/spans',
      contentType: 'application/json',
    });
    expect(reporter.stats).toEqual({ reported: 25, sent: 25, dropped: 0, failed: 0 });
  });

  test('a full batch is sent without waiting for the interval', async () => {
    const collector = await startCollector();
    const reporter = new ZipkinReporter({ url: collector.url, batchSize: 5, flushIntervalMs: 60_000 });
    cleanups.push(
      () => reporter.close(),
      () => collector.close(),
    );
    for (let i = 0; i < 5; i++) reporter.report(spanNo(i));
    await expect.poll(() => reporter.stats.sent, { timeout: 10_000 }).toBe(5);
    expect(collector.batches).toHaveLength(1);
  });

  test('the interval timer flushes a partial batch', async () => {
    const collector = await startCollector();
    const reporter = new ZipkinReporter({ url: collector.url, batchSize: 100, flushIntervalMs: 50 });
    cleanups.push(
      () => reporter.close(),
      () => collector.close(),
    );
    reporter.report(spanNo(1));
    await expect.poll(() => reporter.stats.sent, { timeout: 10_000 }).toBe(1);
  });

  test('when the collector is down: drops beyond the queue, counts failures, never throws', async () => {
    const reporter = new ZipkinReporter({
      url: await deadUrl(),
      maxQueueSpans: 20,
      batchSize: 10,
      flushIntervalMs: 60_000,
    });
    cleanups.push(() => reporter.close());
    // Synchronous burst: the queue holds 20, the other 30 are dropped on the spot.
    expect(() => {
      for (let i = 0; i < 50; i++) reporter.report(spanNo(i));
    }).not.toThrow();
    expect(reporter.stats.dropped).toBe(30);
    await expect(reporter.flush()).resolves.toBeUndefined();
    await reporter.close();
    expect(reporter.stats).toEqual({ reported: 50, sent: 0, dropped: 30, failed: 20 });
  });

  test('a non-2xx answer counts as failed', async () => {
    const collector = await startCollector();
    collector.status = 503;
    const reporter = new ZipkinReporter({ url: collector.url, batchSize: 10, flushIntervalMs: 60_000 });
    cleanups.push(
      () => reporter.close(),
      () => collector.close(),
    );
    for (let i = 0; i < 3; i++) reporter.report(spanNo(i));
    await reporter.flush();
    expect(reporter.stats).toMatchObject({ sent: 0, failed: 3 });
    // Spans that failed are not retried: the next flush sends only new ones.
    collector.status = 202;
    reporter.report(spanNo(9));
    await reporter.flush();
    expect(reporter.stats).toMatchObject({ reported: 4, sent: 1, failed: 3 });
  });

  test('close sends what is queued; later reports are dropped', async () => {
    const collector = await startCollector();
    const reporter = new ZipkinReporter({ url: collector.url, batchSize: 100, flushIntervalMs: 60_000 });
    cleanups.push(() => collector.close());
    reporter.report(spanNo(1));
    reporter.report(spanNo(2));
    await reporter.close();
    expect(collector.batches.flat()).toHaveLength(2);
    reporter.report(spanNo(3));
    expect(reporter.stats).toEqual({ reported: 3, sent: 2, dropped: 1, failed: 0 });
    await reporter.close();
  });

  test.each<[string, ConstructorParameters<typeof ZipkinReporter>[0], RegExp]>([
    ['a non-URL', { url: 'localhost:9411' }, /zipkin url must be/],
    ['another protocol', { url: 'ftp://x/api/v2/spans' }, /must be http or https/],
    [
      'a zero batch size',
      { url: 'http://127.0.0.1:9/api/v2/spans', batchSize: 0 },
      /batchSize must be a positive integer/,
    ],
  ])('refuses %s with a UserError', (_label, options, message) => {
    expect(() => new ZipkinReporter(options)).toThrow(UserError);
    expect(() => new ZipkinReporter(options)).toThrow(message);
  });
});
