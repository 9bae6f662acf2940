/**
 * Lifecycle: periodic retention through `startCollector({ retention })`, `close()` that
 * drains what is queued before closing the store, and the CLI's flag validation.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { Span } from '../spans/index.js';
import { MemoryTraceStore, openTraceStore } from '../store/index.js';
import { parseAgeMs, parseSizeBytes, startCollector } from './index.js';
import { makeSpan } from '../spans/testing/index.js';

const post = (url: string, spans: Span[]): Promise<Response> =>
  fetch(`${url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });

describe('retention', () => {
  it('deletes traces older than maxAgeMs on its interval', async () => {
    const collector = await startCollector({
      port: 0,
      otlpPort: null,
      store: await openTraceStore({ kind: 'memory' }),
      retention: { maxAgeMs: 60 * 60_000, intervalMs: 50 },
      log: () => undefined,
    });
    try {
      const old = makeSpan({ timestamp: Date.now() * 1000 - 2 * 3_600_000_000 });
      const fresh = makeSpan();
      expect((await post(collector.url, [old, fresh])).status).toBe(202);
      let count = 2;
      for (let i = 0; i < 100 && count > 1; i++) {
        await new Promise((r) => setTimeout(r, 20));
        count = (await collector.store.stats()).spanCount;
      }
      expect(count).toBe(1);
      expect((await fetch(`${collector.url}/api/v2/trace/${old.traceId}`)).status).toBe(404);
      expect((await fetch(`${collector.url}/api/v2/trace/${fresh.traceId}`)).status).toBe(200);
    } finally {
      await collector.close();
    }
  });
});

describe('close', () => {
  it('stops accepting, answers what is queued once durable, then closes the store', async () => {
    let release: (() => void) | undefined;
    let held = true;
    const store = new (class extends MemoryTraceStore {
      override append(spans: readonly Span[]): Promise<void> {
        if (!held) return super.append(spans);
        return new Promise<void>((resolve) => (release = resolve)).then(() => super.append(spans));
      }
    })();
    const collector = await startCollector({ port: 0, otlpPort: null, store, log: () => undefined });
    const pending = post(collector.url, [makeSpan()]);
    while (collector.metrics().queuedSpans === 0) await new Promise((r) => setTimeout(r, 5));
    let closed = false;
    const closing = collector.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    await expect(fetch(`${collector.url}/health`)).rejects.toThrow();
    held = false;
    release!();
    expect((await pending).status).toBe(202);
    await closing;
    // Whether the store throws or rejects once closed, the call fails.
    await expect(Promise.resolve().then(() => store.append([makeSpan()]))).rejects.toThrow(/closed/);
  });
});

describe('start-up errors', () => {
  it('a port in use is a UserError naming the flag, and the store is closed again', async () => {
    const first = await startCollector({
      port: 0,
      otlpPort: null,
      store: new MemoryTraceStore(),
      log: () => undefined,
    });
    try {
      const port = Number(new URL(first.url).port);
      const store = new MemoryTraceStore();
      const second = startCollector({ port: 0, otlpPort: port, store, log: () => undefined });
      await expect(second).rejects.toThrow(UserError);
      await expect(second).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      await expect(second.catch((error: UserError) => error.hint)).resolves.toMatch(/--otlp-port/);
      await expect(Promise.resolve().then(() => store.append([makeSpan()]))).rejects.toThrow(/closed/);
    } finally {
      await first.close();
    }
  });
});

describe('flag values', () => {
  it('parses ages and sizes, and names the flag when bad', () => {
    expect(parseAgeMs('7d', '--retention-age')).toBe(604_800_000);
    expect(parseAgeMs('90s', '--retention-age')).toBe(90_000);
    expect(parseSizeBytes('10GB', '--retention-size')).toBe(10_000_000_000);
    expect(parseSizeBytes('2GiB', '--retention-size')).toBe(2 * 2 ** 30);
    expect(() => parseAgeMs('7x', '--retention-age')).toThrow(UserError);
    expect(() => parseAgeMs('0d', '--retention-age')).toThrow('invalid --retention-age "0d"');
    expect(() => parseSizeBytes('lots', '--retention-size')).toThrow('invalid --retention-size "lots"');
  });

  it.each([
    [['--port', 'http'], /error: invalid --port "http": expected a port number/],
    [['--otlp-port', '70000'], /error: invalid --otlp-port "70000": expected a port number/],
    [['--retention-age', 'forever'], /error: invalid --retention-age "forever"\nhint: give a positive age/],
    [['--retention-size', '10 apples'], /error: invalid --retention-size "10 apples"/],
  ])('hivelab collector %j exits 1 with a clear message', (flags, message) => {
    const result = spawnSync(
      process.execPath,
      [
        path.join(packageRoot, 'bin', 'hivelab.js'),
        'collector',
        '--port',
        '0',
        '--data',
        '/nonexistent',
        ...flags,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
