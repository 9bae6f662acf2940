import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_HEADERS } from './gateway/index.js';
import { startPlatform } from './index.js';
import type { RunningPlatform } from './index.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ port: 0, maxBufferedRequests: 1 });
  // A bystander: it must keep serving through every fault below.
  await platform.deploy(testSpec('bystander'));
});
afterAll(async () => {
  await platform.close();
});

async function bystanderServes(): Promise<void> {
  const response = await request(platform.url, '/fn/bystander/');
  expect(response.status).toBe(200);
}

describe('faults', () => {
  it('answers 502 with the reason when the instance crashes mid-request, and replaces it', async () => {
    await platform.deploy(testSpec('crashy'));
    const before = await request(platform.url, '/fn/crashy/');
    const crashed = await request(platform.url, '/fn/crashy/crash');
    expect(crashed.status).toBe(502);
    expect(crashed.body).toContain(`instance ${String(before.headers[RESPONSE_HEADERS.instanceId])} crashed`);
    expect(crashed.body).toContain('boom: crashed on purpose');
    await waitFor(
      'a replacement instance',
      () => platform.list().find((f) => f.name === 'crashy')?.readyInstances === 1,
    );
    const after = await request(platform.url, '/fn/crashy/');
    expect(after.status).toBe(200);
    expect(after.headers[RESPONSE_HEADERS.instanceId]).not.toBe(before.headers[RESPONSE_HEADERS.instanceId]);
    await bystanderServes();
    await platform.remove('default', 'crashy');
  });

  it('answers 504 after timeoutMs and frees the slot at once', async () => {
    // One slot in all: the next request is served only if the timed-out one gave it back.
    await platform.deploy(
      testSpec('sleepy', { timeoutMs: 300, containerConcurrency: 1, autoscaling: { maxScale: 1 } }),
    );
    const response = await request(platform.url, '/fn/sleepy/slow?ms=5000');
    expect(response.status).toBe(504);
    expect(response.body).toContain('timed out after 300 ms');
    expect((await request(platform.url, '/fn/sleepy/slow?ms=10')).status).toBe(200);
    await bystanderServes();
    await platform.remove('default', 'sleepy');
  });

  it('answers 502 saying so when the instance goes over its memory limit', async () => {
    await platform.deploy(testSpec('hungry', { memoryLimitBytes: 64 * 1024 * 1024 }));
    const response = await request(platform.url, '/fn/hungry/alloc?mb=400');
    expect(response.status).toBe(502);
    expect(response.body).toMatch(/killed: over the memory limit of 64 MiB/);
    await waitFor(
      'a replacement instance',
      () => platform.list().find((f) => f.name === 'hungry')?.readyInstances === 1,
    );
    await bystanderServes();
    await platform.remove('default', 'hungry');
  });

  it('frees the slot when the client goes away mid-request', async () => {
    await platform.deploy(testSpec('leaver', { containerConcurrency: 1, autoscaling: { maxScale: 1 } }));
    const controller = new AbortController();
    const abandoned = fetch(`${platform.url}/fn/leaver/slow?ms=20000`, { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    await waitFor(
      'the request in flight',
      () => platform.list().find((f) => f.name === 'leaver')?.requests === 1,
    );
    controller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    // One slot in all: served long before the abandoned 20 s only if that request gave it back.
    const startedAt = Date.now();
    const next = await request(platform.url, '/fn/leaver/slow?ms=10');
    expect(next.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await platform.remove('default', 'leaver');
  });

  it('answers 503 with Retry-After when max scale is reached and the buffer is full', async () => {
    await platform.deploy(testSpec('full', { containerConcurrency: 1, autoscaling: { maxScale: 1 } }));
    const first = request(platform.url, '/fn/full/slow?ms=1500'); // in flight
    await waitFor(
      'the first request in flight',
      () => platform.list().find((f) => f.name === 'full')?.requests === 1,
    );
    const second = request(platform.url, '/fn/full/slow?ms=10'); // buffered (maxBufferedRequests 1)
    await waitFor(
      'the second request buffered',
      () => platform.list().find((f) => f.name === 'full')?.requests === 2,
    );
    const third = await request(platform.url, '/fn/full/');
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('1');
    expect(third.body).toContain('max-scale 1 reached');
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    await bystanderServes();
    await platform.remove('default', 'full');
  });
});
