import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { RESPONSE_HEADERS } from './gateway/index.js';
import { builtinFunctionSpec, startPlatform } from './index.js';
import type { RunningPlatform } from './index.js';
import { checkPodNetwork } from './sandbox/network/pod-network-check.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
});

describe('routing and the admin API', () => {
  it('deploys through PlatformClient, routes by host and by path, lists and removes', async () => {
    const status = await platform.client.deploy(testSpec('echo', { namespace: 'lab' }));
    expect(status).toMatchObject({
      name: 'echo',
      namespace: 'lab',
      readyInstances: 1,
      desiredInstances: 1,
      coldStarts: 1,
    });
    expect(status.url).toBe(`http://echo.lab.localhost:${new URL(platform.url).port}`);

    const byHost = await request(platform.url, '/hello?x=1', {
      host: `echo.lab.localhost:${new URL(platform.url).port}`,
    });
    expect(byHost.status).toBe(200);
    expect(byHost.body).toMatch(/^hello from \d+ at \/hello\?x=1$/);
    expect(byHost.headers[RESPONSE_HEADERS.cold]).toBe('0');
    expect(byHost.headers[RESPONSE_HEADERS.instanceId]).toMatch(/^echo-/);
    expect(byHost.headers[RESPONSE_HEADERS.traceId]).toMatch(/^[0-9a-f]{32}$/);

    // vHive's hostnames: <name>.<namespace>.<ip>.sslip.io
    const sslip = await request(platform.url, '/', { host: 'echo.lab.192.168.1.240.sslip.io' });
    expect(sslip.status).toBe(200);

    await platform.client.deploy(testSpec('hello'));
    const byPath = await request(platform.url, '/fn/hello/echo', { method: 'POST', body: 'payload' });
    expect(byPath).toMatchObject({ status: 200, body: 'POST payload' });

    const list = await platform.client.list();
    expect(list.map((f) => `${f.namespace}/${f.name}`)).toEqual(['default/hello', 'lab/echo']);
    expect(list.find((f) => f.name === 'echo')?.requests).toBe(2);

    await platform.client.remove('lab', 'echo');
    expect((await platform.client.list()).map((f) => f.name)).toEqual(['hello']);
    await expect(platform.client.remove('lab', 'echo')).rejects.toThrow(/no function lab\/echo \(HTTP 404\)/);
    await platform.client.removeAll();
    expect(await platform.client.list()).toEqual([]);
  });

  it("tells instances the gateway's URL (for the SDK's call()), unless the spec sets its own", async () => {
    await platform.client.deploy(testSpec('env-default'));
    const told = await request(platform.url, '/fn/env-default/env?name=HIVELAB_GATEWAY_URL');
    // In its pod network the host's loopback is reached at the host end of the veth pair (10.213.x.y).
    const gateway = new URL(platform.url);
    expect(told.body).toBe(
      checkPodNetwork().ok ? `http://${new URL(told.body).hostname}:${gateway.port}` : platform.url,
    );
    if (checkPodNetwork().ok) expect(new URL(told.body).hostname).toMatch(/^10\.213\./);
    await platform.client.deploy(
      testSpec('env-own', { env: { HIVELAB_GATEWAY_URL: 'http://gw.example:1' } }),
    );
    const own = await request(platform.url, '/fn/env-own/env?name=HIVELAB_GATEWAY_URL');
    expect(own.body).toBe('http://gw.example:1');
    await platform.client.removeAll();
  });

  it('answers GET of one function with its status, and its history of scale and cold starts', async () => {
    await platform.deploy(testSpec('hist', { autoscaling: { initialScale: 0 } }));
    expect((await request(platform.url, '/fn/hist/')).status).toBe(200);
    const status = await platform.client.get('default', 'hist');
    expect(status).toMatchObject({
      name: 'hist',
      readyInstances: 1,
      coldStarts: 1,
      coldRequests: 1,
      requests: 1,
    });
    const history = await platform.client.history('default', 'hist');
    expect(history).toMatchObject({ namespace: 'default', name: 'hist' });
    expect(history.coldStarts).toHaveLength(1);
    const [start] = history.coldStarts;
    expect(start!.instanceId).toMatch(/^hist-/);
    expect(start!.phases.readyMs).toBeGreaterThan(0);
    expect(Math.abs(start!.readyAtMs - Date.now())).toBeLessThan(60_000);
    // The instance change is a point: one ready, one desired.
    expect(history.scale.at(-1)).toMatchObject({ readyInstances: 1, desiredInstances: 1 });
    const missing = await request(platform.url, '/_hivelab/functions/default/nothere');
    expect(missing.status).toBe(404);
    expect((await request(platform.url, '/_hivelab/functions/default/nothere/history')).status).toBe(404);
    await platform.remove('default', 'hist');
  });

  it('refuses to start on a port that is taken', async () => {
    const port = Number(new URL(platform.url).port);
    await expect(startPlatform({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('answers an unknown host with 404 listing the deployed functions', async () => {
    await platform.deploy(testSpec('listed', { autoscaling: { initialScale: 0 } }));
    const response = await request(platform.url, '/', { host: 'nothere.default.localhost' });
    expect(response.status).toBe(404);
    expect(response.body).toContain('no function for host "nothere.default.localhost"');
    expect(response.body).toContain(
      `default/listed: http://listed.default.localhost:${new URL(platform.url).port}`,
    );
    expect(response.body).toContain('/fn/listed/');
    await platform.remove('default', 'listed');
  });

  it('refuses an invalid spec with the field, and a spec whose name disagrees with the path', async () => {
    const bad = await fetch(`${platform.url}/_hivelab/functions/default/x`, {
      method: 'PUT',
      body: JSON.stringify({ ...testSpec('x'), containerConcurrency: -1 }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('containerConcurrency');
    const mismatch = await fetch(`${platform.url}/_hivelab/functions/default/y`, {
      method: 'PUT',
      body: JSON.stringify(testSpec('x')),
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('must agree');
    const notJson = await fetch(`${platform.url}/_hivelab/functions/default/x`, { method: 'PUT', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('answers a malformed %-escape in a path with 400, on the admin API and the gateway', async () => {
    for (const path of [
      '/_hivelab/functions/default/%zz',
      '/_hivelab/functions/%E0%A4%A/x/history',
      '/fn/%zz/',
    ]) {
      const response = await request(platform.url, path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toMatch(
        /(namespace|function name) in the path is not valid percent-encoding/,
      );
    }
    // and keeps serving
    expect((await request(platform.url, '/_hivelab/functions')).status).toBe(200);
  });

  it('fails a deploy whose command exits at once, with its stderr line, as a UserError', async () => {
    const error = await platform.client
      .deploy(testSpec('broken', { env: { FAIL_AT_START: '1' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('cannot start: FAIL_AT_START is set');
    expect(platform.list().map((f) => f.name)).not.toContain('broken');
  });

  it('drains on removal: an in-flight request finishes before its instance stops', async () => {
    await platform.deploy(testSpec('drain'));
    const slow = request(platform.url, '/fn/drain/slow?ms=800');
    // Counted by the gateway means leased to the ready instance (no buffering at scale 1).
    await waitFor(
      'the request in flight',
      () => platform.list().find((f) => f.name === 'drain')?.requests === 1,
    );
    const removed = platform.remove('default', 'drain');
    const response = await slow;
    expect(response).toMatchObject({ status: 200, body: 'slept 800' });
    expect(await removed).toBe(true);
    expect((await request(platform.url, '/fn/drain/')).status).toBe(404);
  });

  it('replaces a function on redeploy without dropping it', async () => {
    await platform.deploy(testSpec('re'));
    const first = await request(platform.url, '/fn/re/');
    await platform.deploy(testSpec('re', { env: { MARK: '2' } }));
    const second = await request(platform.url, '/fn/re/');
    expect(second.status).toBe(200);
    expect(second.headers[RESPONSE_HEADERS.instanceId]).not.toBe(first.headers[RESPONSE_HEADERS.instanceId]);
    expect(platform.list().filter((f) => f.name === 're')).toHaveLength(1);
    await platform.remove('default', 're');
  });
});

describe('activator', () => {
  it('scales from zero, buffering concurrent requests; all succeed and the first is cold', async () => {
    await platform.deploy(testSpec('zero', { autoscaling: { initialScale: 0 } }));
    expect(platform.list()[0]).toMatchObject({ name: 'zero', readyInstances: 0 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => request(platform.url, '/fn/zero/')));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(responses.some((r) => r.headers[RESPONSE_HEADERS.cold] === '1')).toBe(true);
    const status = platform.list().find((f) => f.name === 'zero');
    expect(status).toMatchObject({ readyInstances: 1, coldStarts: 1, requests: 8 });
    const warm = await request(platform.url, '/fn/zero/');
    expect(warm.headers[RESPONSE_HEADERS.cold]).toBe('0');
    await platform.remove('default', 'zero');
  });

  it('enforces containerConcurrency: a second request never runs beside the first on one instance', async () => {
    // max-scale 1: the second request must wait for the first to finish.
    await platform.deploy(testSpec('single', { containerConcurrency: 1, autoscaling: { maxScale: 1 } }));
    const started = Date.now();
    const [a, b] = await Promise.all([
      request(platform.url, '/fn/single/slow?ms=700'),
      request(platform.url, '/fn/single/slow?ms=700'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.headers[RESPONSE_HEADERS.instanceId]).toBe(b.headers[RESPONSE_HEADERS.instanceId]);
    // Serialised: together they took at least both sleeps.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    await platform.remove('default', 'single');
  });

  it('sends concurrent requests to different instances when one is full', async () => {
    await platform.deploy(testSpec('pair', { containerConcurrency: 1, autoscaling: { initialScale: 2 } }));
    const [a, b] = await Promise.all([
      request(platform.url, '/fn/pair/slow?ms=500'),
      request(platform.url, '/fn/pair/slow?ms=500'),
    ]);
    expect(a.headers[RESPONSE_HEADERS.instanceId]).not.toBe(b.headers[RESPONSE_HEADERS.instanceId]);
    await platform.remove('default', 'pair');
  });
});

describe('sandboxes and cold-start modes behind the gateway', () => {
  it.each([
    ['worker', 'boot'],
    ['process', 'prewarm'],
    ['process', 'snapshot'],
  ] as const)(
    'serves the built-in helloworld in a %s sandbox with %s cold starts, from zero',
    async (sandbox, coldStart) => {
      const name = `hello-${sandbox}-${coldStart}`;
      const base = builtinFunctionSpec('builtin:helloworld', name, { protocol: 'http1', sandbox, coldStart });
      await platform.deploy({ ...base, autoscaling: { ...base.autoscaling, initialScale: 0 } });
      const response = await request(platform.url, `/fn/${name}/?name=lab`);
      expect(response).toMatchObject({ status: 200, body: 'Hello, lab!' });
      expect(response.headers[RESPONSE_HEADERS.cold]).toBe('1');
      expect(platform.list().find((f) => f.name === name)).toMatchObject({
        sandbox,
        coldStart,
        coldStarts: 1,
        coldRequests: 1,
      });
      await platform.remove('default', name);
    },
  );
});
