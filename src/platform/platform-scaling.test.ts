import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_HEADERS } from './gateway/index.js';
import { startPlatform } from './index.js';
import type { FunctionStatus, RunningPlatform } from './index.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
});

const statusOf = (name: string): FunctionStatus | undefined => platform.list().find((f) => f.name === name);

describe('autoscaling through the platform (short windows)', () => {
  it("scales up under concurrent load to the count KPA's formula gives", async () => {
    // target 1 × utilization 1.0: desired = ceil(concurrency / 1) = 4 for 4 concurrent requests.
    await platform.deploy(
      testSpec('burst', {
        containerConcurrency: 1,
        autoscaling: { target: 1, targetUtilization: 1, stableWindowMs: 6000, tickIntervalMs: 500 },
      }),
    );
    let maxDesired = 0;
    let maxReady = 0;
    let running = true;
    const watch = (async () => {
      while (running) {
        const status = statusOf('burst');
        maxDesired = Math.max(maxDesired, status?.desiredInstances ?? 0);
        maxReady = Math.max(maxReady, status?.readyInstances ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    // Long enough that the first sample (1 s) and a tick see all four in the system.
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => request(platform.url, '/fn/burst/slow?ms=4000')),
    );
    running = false;
    await watch;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(maxDesired).toBe(4);
    expect(maxReady).toBe(4);
    // containerConcurrency 1 held throughout: more than one instance served the burst.
    expect(new Set(responses.map((r) => r.headers[RESPONSE_HEADERS.instanceId])).size).toBeGreaterThan(1);
    await platform.remove('default', 'burst');
  });

  it('scales to zero after the stable window and the grace period, then back from zero', async () => {
    await platform.deploy(
      testSpec('idle', {
        autoscaling: { stableWindowMs: 2000, scaleToZeroGracePeriodMs: 1000, tickIntervalMs: 500 },
      }),
    );
    expect(statusOf('idle')?.readyInstances).toBe(1);
    const deployedAt = Date.now();
    await waitFor('scale to zero', () => statusOf('idle')?.readyInstances === 0, 20_000);
    // Not before a stable window plus the grace period without traffic.
    expect(Date.now() - deployedAt).toBeGreaterThanOrEqual(2000);
    expect(statusOf('idle')?.desiredInstances).toBe(0);
    const response = await request(platform.url, '/fn/idle/');
    expect(response.status).toBe(200);
    expect(response.headers[RESPONSE_HEADERS.cold]).toBe('1');
    expect(statusOf('idle')?.coldStarts).toBe(2);
    await platform.remove('default', 'idle');
  });
});
