/**
 * Forwarding end to end, against real hivelab collectors as the receiving backends: an OTLP
 * receiver run as the built CLI in a child process, SIGKILLed while spans flow and started
 * again on the same port, and a Zipkin receiver in this process. The forwarding collector
 * must answer every ingest request 202 meanwhile, and every span must reach both receivers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { packageRoot } from '../../package-root.js';
import type { Span } from '../../spans/index.js';
import { MemoryTraceStore } from '../../store/index.js';
import { startCollector } from '../index.js';
import { makeSpan, uniqueHexId } from '../../spans/testing/index.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-forward-receiver-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the CLI collector (SQLite in `dataDir`) and resolves to its port. */
function startReceiver(port: number): Promise<{ child: ChildProcess; port: number }> {
  const args = ['collector', '--port', String(port), '--otlp-port', 'none', '--data', dataDir];
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'hivelab.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /collector ready: Zipkin http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`receiver exited with ${code} before ready: ${out}`)));
  });
}

async function traceCount(url: string, traceIds: readonly string[]): Promise<number> {
  const res = await fetch(`${url}/api/v2/traceMany?traceIds=${traceIds.join(',')}`);
  return res.ok ? ((await res.json()) as Span[][]).reduce((n, t) => n + t.length, 0) : -1;
}

it('forwards everything to a receiver that is killed and restarted, without slowing ingest', async () => {
  const first = await startReceiver(0);
  const zipkinReceiver = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
  const logs: string[] = [];
  const collector = await startCollector({
    port: 0,
    otlpPort: null,
    store: new MemoryTraceStore(),
    log: (line) => logs.push(line),
    forward: {
      targets: [
        { protocol: 'otlp', url: `http://127.0.0.1:${first.port}/v1/traces` },
        { protocol: 'zipkin', url: `${zipkinReceiver.url}/api/v2/spans` },
      ],
      flushIntervalMs: 20,
      maxBatchSpans: 200,
      backoff: { initialMs: 50, maxMs: 400 },
    },
  });
  const sent: string[] = [];
  const statuses = new Set<number>();
  const post = async (): Promise<void> => {
    const traceId = `${uniqueHexId()}${uniqueHexId()}`;
    const spans = Array.from({ length: 20 }, () => makeSpan({ traceId }));
    const res = await fetch(`${collector.url}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spans),
    });
    statuses.add(res.status);
    sent.push(traceId);
  };
  try {
    for (let i = 0; i < 20; i++) await post();
    // Kill the OTLP receiver while spans keep coming, and keep it down for a while.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    for (let i = 0; i < 30; i++) {
      await post();
      await new Promise((r) => setTimeout(r, 20));
    }
    const downMetrics = collector.forwardMetrics();
    expect(downMetrics[0]!.queued).toBeGreaterThan(0);
    expect(downMetrics[0]!.failedRequests).toBeGreaterThan(0);
    const second = await startReceiver(first.port);
    for (let i = 0; i < 20; i++) await post();
    expect([...statuses]).toEqual([202]);

    const receiverUrl = `http://127.0.0.1:${second.port}`;
    const total = sent.length * 20;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await traceCount(receiverUrl, sent)) < total) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await traceCount(receiverUrl, sent)).toBe(total);
    expect(await traceCount(zipkinReceiver.url, sent)).toBe(total);

    const [otlp, zipkin] = collector.forwardMetrics();
    expect(otlp).toMatchObject({ protocol: 'otlp', dropped: 0, queued: 0 });
    expect(otlp!.sent).toBeGreaterThanOrEqual(total);
    expect(otlp!.retried).toBeGreaterThan(0);
    expect(zipkin).toMatchObject({ protocol: 'zipkin', sent: total, retried: 0, dropped: 0, queued: 0 });
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(/hivelab_forward_spans_sent_total\{protocol="zipkin",target="[^"]+"\} 1400/);
    expect(metrics).toMatch(/hivelab_forward_spans_retried_total\{protocol="otlp",target="[^"]+"\} [1-9]/);
    expect(metrics).toMatch(/hivelab_forward_spans_dropped_total\{protocol="otlp",target="[^"]+"\} 0/);
    expect(logs).toEqual([]);
    second.child.kill('SIGTERM');
  } finally {
    await collector.close();
    await zipkinReceiver.close();
  }
}, 90_000);
