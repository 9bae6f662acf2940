import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../collector/index.js';
import type { Span } from '../spans/index.js';
import { testContext } from './testing/test-context.js';
import { defineFunction, flushSpans, traced, type SpanSink } from './index.js';

function collectingSink(): SpanSink & { spans: Span[] } {
  const spans: Span[] = [];
  return { spans, report: (span) => spans.push(span) };
}

function burnCpuMs(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

const num = (span: Span | undefined, tag: string): number => Number(span?.tags?.[tag]);

describe('traced', () => {
  it('a CPU-burning function: cpu.ms is what it burned and no more than its wall time', () => {
    const sink = collectingSink();
    const burn = traced('burn', () => burnCpuMs(80), { sink });
    burn();
    const span = sink.spans[0];
    expect(span?.name).toBe('burn');
    expect(span?.tags?.['function.name']).toBe('burn');
    expect(num(span, 'cpu.ms')).toBeGreaterThanOrEqual(80);
    // One busy thread: CPU time stays near wall time (slack for two clocks and GC helper threads).
    expect(num(span, 'cpu.ms')).toBeLessThanOrEqual(num(span, 'exec.ms') * 1.1 + 5);
    // The span covers the call: its duration is the wall time it reports. (Not >= 80 ms:
    // process CPU time counts every thread, so 80 ms of it can pass in a little less wall time.)
    expect(Math.abs((span?.duration ?? 0) / 1000 - num(span, 'exec.ms'))).toBeLessThan(2);
  });

  it('a sleeping function: cpu.ms is far below exec.ms', async () => {
    const sink = collectingSink();
    const nap = traced('nap', async () => delay(100), { sink });
    await nap();
    const span = sink.spans[0];
    expect(num(span, 'exec.ms')).toBeGreaterThanOrEqual(99);
    expect(num(span, 'cpu.ms')).toBeLessThan(num(span, 'exec.ms') / 4);
  });

  it('peak_mem.kb sees memory the function allocates', () => {
    const sink = collectingSink();
    const rssBeforeKb = process.memoryUsage.rss() / 1024;
    let kept = 0;
    const alloc = traced(
      'alloc',
      () => {
        const block = Buffer.allocUnsafeSlow(96 * 1024 * 1024);
        for (let i = 0; i < block.length; i += 4096) block[i] = 1;
        kept = block.length;
        return block.length;
      },
      { sink },
    );
    expect(alloc()).toBe(kept);
    expect(num(sink.spans[0], 'peak_mem.kb')).toBeGreaterThan(rssBeforeKb + 64 * 1024);
  });

  it('passes results and errors through and tags the error', async () => {
    const sink = collectingSink();
    expect(traced('id', (x: number) => x * 2, { sink })(21)).toBe(42);
    await expect(traced('fail', async () => Promise.reject(new Error('boom')), { sink })()).rejects.toThrow(
      'boom',
    );
    expect(() =>
      traced(
        'throw',
        () => {
          throw new Error('sync boom');
        },
        { sink },
      )(),
    ).toThrow('sync boom');
    expect(sink.spans.map((s) => s.tags?.error)).toEqual([undefined, 'boom', 'sync boom']);
  });

  it('is a child of the incoming trace context, and nested traced calls nest', async () => {
    const sink = collectingSink();
    const inner = traced('inner', () => 1, { sink });
    const outer = traced('outer', () => inner() + 1, { sink });
    const fn = defineFunction({ fetch: () => new Response(String(outer())) });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const response = await fn.fetch!(
      new Request('http://x/'),
      testContext({ traceHeaders: { traceparent }, functionName: 'svc' }),
    );
    expect(await response.text()).toBe('2');
    const [innerSpan, outerSpan] = sink.spans;
    expect(outerSpan).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: 'b7ad6b7169203331',
      name: 'outer',
    });
    expect(outerSpan?.localEndpoint?.serviceName).toBe('svc');
    expect(innerSpan).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentId: outerSpan?.id,
      name: 'inner',
    });
  });

  it('reports nothing for a trace the caller chose not to sample', async () => {
    const sink = collectingSink();
    const fn = defineFunction({ fetch: () => new Response(String(traced('x', () => 1, { sink })())) });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    await fn.fetch!(new Request('http://x/'), testContext({ traceHeaders: { traceparent } }));
    expect(sink.spans).toEqual([]);
  });
});

describe('traced → a real collector', () => {
  let collector: RunningCollector;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-sdk-'));
    collector = await startCollector({ port: 0, otlpPort: null, dataDir, log: () => undefined });
  });
  afterAll(async () => {
    await collector.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the span arrives with its tags, queryable through the Zipkin API', async () => {
    const zipkinUrl = `${collector.url}/api/v2/spans`;
    const work = traced('work', () => burnCpuMs(20));
    const fn = defineFunction({ fetch: () => (work(), new Response('ok')) });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await fn.fetch!(
      new Request('http://x/'),
      testContext({ traceHeaders: { traceparent }, zipkinUrl, functionName: 'sdk-test' }),
    );
    await flushSpans();
    let trace: Span[] = [];
    for (let i = 0; i < 50 && trace.length === 0; i++) {
      const response = await fetch(`${collector.url}/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736`);
      if (response.ok) trace = (await response.json()) as Span[];
      else await delay(100);
    }
    expect(trace).toHaveLength(1);
    expect(trace[0]).toMatchObject({
      name: 'work',
      parentId: '00f067aa0ba902b7',
      localEndpoint: { serviceName: 'sdk-test' },
    });
    expect(Number(trace[0]?.tags?.['cpu.ms'])).toBeGreaterThanOrEqual(20);
    expect(Object.keys(trace[0]?.tags ?? {})).toEqual(
      expect.arrayContaining(['cpu.ms', 'exec.ms', 'peak_mem.kb', 'function.name']),
    );
  });
});
