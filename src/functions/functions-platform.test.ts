/**
 * A built-in on the real platform with a real collector: the request's trace holds the
 * gateway's spans and, as their descendant, the function's own `traced()` span with seed
 * 004's tags (cpu.ms, exec.ms, peak_mem.kb, function.name).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../collector/index.js';
import { RESPONSE_HEADERS, startPlatform } from '../platform/index.js';
import { builtinFunctionSpec } from '../platform/index.js';
import type { Span } from '../spans/index.js';

let collector: RunningCollector;
let platform: Awaited<ReturnType<typeof startPlatform>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-fn-platform-'));
  collector = await startCollector({ port: 0, otlpPort: null, dataDir, log: () => undefined });
  platform = await startPlatform({ port: 0, zipkinUrl: `${collector.url}/api/v2/spans` });
});
afterAll(async () => {
  await platform.close();
  await collector.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('built-in functions on the platform', () => {
  it("aes's traced span reaches the collector inside the gateway's trace", async () => {
    const zipkinUrl = `${collector.url}/api/v2/spans`;
    await platform.deploy(
      builtinFunctionSpec('builtin:aes', 'aes-0', {
        protocol: 'http1',
        workingDir: dataDir,
        env: { HIVELAB_ZIPKIN_URL: zipkinUrl },
      }),
    );
    const response = await fetch(`${platform.url}/fn/aes-0/?plaintext=hello&iterations=2000`);
    expect(response.status).toBe(200);
    const traceId = response.headers.get(RESPONSE_HEADERS.traceId);
    expect(traceId).toMatch(/^[0-9a-f]{16,32}$/);

    let spans: Span[] = [];
    // The instance and the gateway report on their own schedules: wait for both.
    const complete = (): boolean => {
      const fn = spans.find((s) => s.name === 'aes');
      return fn !== undefined && spans.some((s) => s.id === fn.parentId);
    };
    for (let i = 0; i < 100 && !complete(); i++) {
      await delay(100);
      const trace = await fetch(`${collector.url}/api/v2/trace/${traceId}`);
      if (trace.ok) spans = (await trace.json()) as Span[];
    }
    const fnSpan = spans.find((s) => s.name === 'aes');
    expect(fnSpan, `spans: ${JSON.stringify(spans.map((s) => s.name))}`).toBeDefined();
    expect(fnSpan?.localEndpoint?.serviceName).toBe('aes-0');
    expect(fnSpan?.tags?.['function.name']).toBe('aes');
    expect(Number(fnSpan?.tags?.['cpu.ms'])).toBeGreaterThan(0);
    expect(Number(fnSpan?.tags?.['peak_mem.kb'])).toBeGreaterThan(1000);
    // Its parent is a span of the same trace (the gateway's or the instance's).
    expect(spans.map((s) => s.id)).toContain(fnSpan?.parentId);
  });
});
