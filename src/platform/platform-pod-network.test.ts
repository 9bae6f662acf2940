/**
 * Knative's pod network rule through the whole platform, on the default (process) sandbox:
 * a server that hard-codes its port (vSwarm's helloworld binds `[::]:50051`) is reached
 * through the gateway, two instances of it at once; from inside its pod a function calls
 * the gateway at HIVELAB_GATEWAY_URL and the SDK exports its span to HIVELAB_ZIPKIN_URL;
 * a container (real runc, where the machine has it) calls the gateway from its pod too.
 * Real parts: network namespaces, veth pairs, iptables NAT, the gateway, a collector.
 * Skipped, saying why, where the machine gives no pod networks (not root, tools missing).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../collector/index.js';
import type { RunningCollector } from '../collector/index.js';
import { MemoryTraceStore } from '../store/index.js';
import type { Span } from '../spans/index.js';
import { builtinFunctionSpec, createSandboxDriver, startPlatform } from './index.js';
import type { RunningPlatform } from './index.js';
import { checkOciRuntime } from './sandbox/container/oci-runtime.js';
import { checkPodNetwork } from './sandbox/network/pod-network-check.js';
import { buildNodeTestImage } from './sandbox/testing/oci-test-image.js';
import { request, testSpec, waitFor } from './testing/platform-kit.js';

const check = checkPodNetwork();
const containers = checkOciRuntime();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`pod network platform test skipped: ${skipReason}\n`);

/** Binds [::]:50051 whatever PORT says, as vSwarm's helloworld server does; answers after 150 ms. */
const HARD_CODED_SERVER = `
const answer = (res) => res.end(JSON.stringify({ port: process.env.PORT, instance: process.env.HIVELAB_INSTANCE_ID }));
require('node:http')
  .createServer((req, res) => setTimeout(() => answer(res), 150))
  .listen(50051, '::');
`;

/** Calls another function through the gateway it finds in HIVELAB_GATEWAY_URL (as the SDK's call() does). */
const CALLER_SERVER = `
require('node:http')
  .createServer(async (req, res) => {
    try {
      const answer = await fetch(process.env.HIVELAB_GATEWAY_URL + '/fn/hard-coded/');
      res.end(JSON.stringify({ gateway: process.env.HIVELAB_GATEWAY_URL, status: answer.status, body: await answer.text() }));
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error && error.cause ? error.cause : error));
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

describe.skipIf(skipReason !== undefined)('pod networks on the process sandbox, through the platform', () => {
  let dir: string;
  let collector: RunningCollector;
  let platform: RunningPlatform;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-podnet-'));
    await writeFile(path.join(dir, 'hard-coded.cjs'), HARD_CODED_SERVER);
    await writeFile(path.join(dir, 'caller.cjs'), CALLER_SERVER);
    collector = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
    platform = await startPlatform({
      port: 0,
      zipkinUrl: `${collector.url}/api/v2/spans`,
      log: (line) => log.push(line),
      // Container images unpacked once per machine, as the data dir keeps them across runs.
      createDriver: (kind, context) =>
        createSandboxDriver(kind, { ...context, imagesDir: path.join(os.tmpdir(), 'hivelab-test-images') }),
    });
  });
  afterAll(async () => {
    await platform?.close();
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches a server hard-coded on [::]:50051 (containerPort 50051) through the gateway, two instances at once', async () => {
    await platform.deploy({
      ...testSpec('hard-coded', { containerConcurrency: 1, autoscaling: { minScale: 2, initialScale: 2 } }),
      command: [process.execPath, path.join(dir, 'hard-coded.cjs')],
      containerPort: 50051,
    });
    expect(log.join('\n')).toMatch(/sandbox process: each instance in its own network namespace/);
    // containerConcurrency 1: two requests at once go to the two instances.
    const responses = await Promise.all([1, 2].map(() => request(platform.url, '/fn/hard-coded/')));
    const bodies = responses.map((r) => {
      expect(r.status, r.body).toBe(200);
      return JSON.parse(r.body) as { port: string; instance: string };
    });
    expect(bodies.map((b) => b.port)).toEqual(['50051', '50051']);
    // Both bind 50051, each in its own namespace.
    expect(new Set(bodies.map((b) => b.instance)).size).toBe(2);
  });

  it('a function calls the gateway on the host from inside its pod', async () => {
    await platform.deploy({
      ...testSpec('caller'),
      command: [process.execPath, path.join(dir, 'caller.cjs')],
    });
    const response = await request(platform.url, '/fn/caller/');
    expect(response.status, response.body).toBe(200);
    const body = JSON.parse(response.body) as { gateway: string; status: number; body: string };
    // The host's 127.0.0.1 is the pod's own loopback: the URL names the host end of the veth pair.
    expect(body.gateway).toMatch(/^http:\/\/10\.213\.\d+\.\d+:\d+$/);
    expect(body.gateway.endsWith(`:${new URL(platform.url).port}`)).toBe(true);
    expect(body.status).toBe(200);
    expect((JSON.parse(body.body) as { port: string }).port).toBe('50051');
  });

  it("the SDK's span reaches the collector on the host from inside the pod", async () => {
    await platform.deploy(builtinFunctionSpec('builtin:helloworld', 'hello-pod', { protocol: 'http1' }));
    const traceId = 'a'.repeat(32);
    const response = await request(platform.url, '/fn/hello-pod/?name=pod', {
      headers: { traceparent: `00-${traceId}-${'b'.repeat(16)}-01` },
    });
    expect(response.body).toBe('Hello, pod!');
    let spans: Span[] = [];
    // traced('helloworld', …) runs in the instance: its span carries exec.ms, which the gateway's do not.
    await waitFor('the function span', async () => {
      spans = await collector.store.getTrace(traceId);
      return spans.some((s) => s.name === 'helloworld' && s.tags?.['exec.ms'] !== undefined);
    });
    expect(spans.find((s) => s.name === 'helloworld')?.localEndpoint?.serviceName).toBe('hello-pod');
  });

  it.skipIf(!containers.ok)(
    'a container calls the gateway on the host from its pod too',
    async () => {
      const image = await buildNodeTestImage(path.join(dir, 'layout'), { '/app/caller.js': CALLER_SERVER });
      await platform.deploy({
        ...testSpec('ctr-caller'),
        image,
        command: [],
        env: {},
        workingDir: '/',
        sandbox: 'container',
        containers: [{ name: 'fn', image, command: [process.execPath, '/app/caller.js'], env: {} }],
      });
      const response = await request(platform.url, '/fn/ctr-caller/');
      expect(response.status, response.body).toBe(200);
      const body = JSON.parse(response.body) as { gateway: string; status: number; body: string };
      // The platform's gateway URL reaches containers too, as the pod sees it.
      expect(body.gateway).toMatch(/^http:\/\/10\.213\.\d+\.\d+:\d+$/);
      expect(body.status).toBe(200);
    },
    60_000,
  );
});
