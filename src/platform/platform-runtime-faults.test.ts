// Faults switched at run time through the real gateway: the admin API sets a spec, the
// gateway asks the table per invocation and sends the order to the instance (which carries
// it out under the runtime runner), every injection is recorded in memory, in the JSON-lines
// file and as a tag on the function's SERVER span; clearing stops it. Built-ins run the
// compiled JavaScript: `npm run build` first, as `npm test` does.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../collector/index.js';
import type { Span } from '../spans/index.js';
import { MemoryTraceStore } from '../store/index.js';
import { RESPONSE_HEADERS } from './gateway/index.js';
import { readFaultLog, startPlatform, type RunningPlatform } from './index.js';
import { request } from './testing/platform-kit.js';
import { builtinFunctionSpec } from './function-spec/index.js';

let dir: string;
let collector: RunningCollector;
let platform: RunningPlatform;

/** A seeded uniform source, so the injected share is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-faults-'));
  collector = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
  platform = await startPlatform({
    port: 0,
    zipkinUrl: `${collector.url}/api/v2/spans`,
    faultLogFile: path.join(dir, 'faults.jsonl'),
    faultRandom: seeded(7),
  });
  await platform.deploy(builtinFunctionSpec('builtin:sleep', 'geo'));
  await platform.deploy(builtinFunctionSpec('builtin:sleep', 'bystander'));
}, 60_000);
afterAll(async () => {
  await platform?.close();
  await collector?.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(name: string, query = ''): Promise<{ status: number; traceId: string; ms: number }> {
  const started = performance.now();
  const response = await request(platform.url, `/fn/${name}/${query}`);
  return {
    status: response.status,
    traceId: String(response.headers[RESPONSE_HEADERS.traceId]),
    ms: performance.now() - started,
  };
}

async function serverSpan(traceId: string, fn: string): Promise<Span | undefined> {
  for (let attempt = 0; attempt < 80; attempt++) {
    const response = await fetch(`${collector.url}/api/v2/trace/${traceId}`);
    const spans = response.ok ? ((await response.json()) as Span[]) : [];
    const span = spans.find((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === fn);
    if (span) return span;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

describe('faults switched at run time', () => {
  it('injects into the share asked for, records each injection and tags its span, then stops when cleared', async () => {
    await call('geo'); // warm
    const set = await platform.client.setFault('default', 'geo', 'error,share=0.3');
    expect(set).toMatchObject({
      function: 'default/geo',
      spec: 'error,share=0.3',
      share: 0.3,
      source: 'api',
    });

    const answers = [];
    for (let i = 0; i < 60; i++) answers.push(await call('geo'));
    const failed = answers.filter((a) => a.status === 500);
    // Exactly the invocations the table picked failed, and no other.
    expect(answers.every((a) => a.status === 200 || a.status === 500)).toBe(true);
    const status = await platform.client.faults({ function: 'default/geo' });
    expect(status.injections.map((r) => r.traceId).sort()).toEqual(failed.map((a) => a.traceId).sort());
    expect(failed.length / answers.length).toBeGreaterThan(0.15);
    expect(failed.length / answers.length).toBeLessThan(0.45);
    expect(status.injections[0]).toMatchObject({ function: 'default/geo', kinds: ['error'], order: 'error' });
    expect(status.active).toEqual([expect.objectContaining({ injections: failed.length })]);

    // The function's SERVER span says which fault it got; a spared one says nothing.
    const hit = await serverSpan(failed[0]!.traceId, 'geo');
    expect(hit?.tags?.['fault.injected']).toBe('error');
    const spared = answers.find((a) => a.status === 200)!;
    expect((await serverSpan(spared.traceId, 'geo'))?.tags?.['fault.injected']).toBeUndefined();

    // A bystander is never touched.
    for (let i = 0; i < 10; i++) expect((await call('bystander')).status).toBe(200);

    expect(await platform.client.clearFault('default', 'geo')).toBe(true);
    expect(await platform.client.clearFault('default', 'geo')).toBe(false);
    for (let i = 0; i < 30; i++) expect((await call('geo')).status).toBe(200);
    const after = await platform.client.faults();
    expect(after.active).toEqual([]);
    expect(after.injections).toHaveLength(failed.length);

    // The JSON-lines file holds the same story: set, each injection with its amount, clear.
    await waitForFile(path.join(dir, 'faults.jsonl'), failed.length + 2);
    const events = readFaultLog(await readFile(path.join(dir, 'faults.jsonl'), 'utf8'));
    expect(events[0]).toMatchObject({ event: 'set', function: 'default/geo', spec: 'error,share=0.3' });
    expect(events.filter((e) => e.event === 'injection')).toHaveLength(failed.length);
    expect(events.at(-1)).toMatchObject({ event: 'clear', function: 'default/geo' });
  });

  it('carries out a delay with its amount recorded', async () => {
    await platform.client.setFault('default', 'geo', 'delay=250ms');
    const slow = await call('geo');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(245);
    const { injections } = await platform.client.faults({ function: 'default/geo', limit: 1 });
    expect(injections).toEqual([
      expect.objectContaining({ kinds: ['delay'], delayMs: 250, traceId: slow.traceId }),
    ]);
    await platform.client.clearFault('default', 'geo');
  });

  it('answers bad requests with the field and the expected form, and keeps serving', async () => {
    await expect(platform.client.setFault('default', 'geo', 'delay=fast')).rejects.toThrow(
      'fault spec: delay: expected a duration like 50ms or 1s, got "fast" (HTTP 400)',
    );
    await expect(platform.client.setFault('default', 'nowhere', 'error')).rejects.toThrow(
      'no function default/nowhere: deploy it first',
    );
    await expect(platform.client.faults({ sinceMs: -1 })).rejects.toThrow(
      'sinceMs: expected a non-negative number',
    );
    expect((await call('geo')).status).toBe(200);
  });

  it('carries out a function’s own HIVELAB_FAULT at the gateway, recorded, and clears it for good', async () => {
    await platform.deploy(
      builtinFunctionSpec('builtin:sleep', 'own', { env: { HIVELAB_FAULT: 'error,share=0.5' } }),
    );
    const active = (await platform.client.faults()).active.find((a) => a.function === 'default/own');
    expect(active).toMatchObject({ source: 'env', spec: 'error,share=0.5' });
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push(await call('own'));
    const failed = answers.filter((a) => a.status === 500).map((a) => a.traceId);
    const recorded = (await platform.client.faults({ function: 'default/own' })).injections.map(
      (r) => r.traceId,
    );
    // The instance did not roll its own dice on top: every failure is a recorded one.
    expect(recorded.sort()).toEqual(failed.sort());
    expect(failed.length).toBeGreaterThan(5);
    await platform.client.clearFault('default', 'own');
    for (let i = 0; i < 20; i++) expect((await call('own')).status).toBe(200);
    await expect(
      platform.deploy(builtinFunctionSpec('builtin:sleep', 'bad', { env: { HIVELAB_FAULT: 'smoke' } })),
    ).rejects.toThrow('default/bad: env HIVELAB_FAULT: unknown fault "smoke"');
  });
});

async function waitForFile(file: string, lines: number): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.split('\n').filter(Boolean).length >= lines) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
