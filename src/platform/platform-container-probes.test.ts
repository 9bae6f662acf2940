/**
 * The spec's readiness and liveness probes on the container sandbox, with real runc: each
 * instance is a pod with its own network, so a probe reaches the serving container through
 * the host port's DNAT and another port of the pod through the pod's address (veth). httpGet
 * gating the first traffic (its wait a cold-start phase), tcpSocket on a port hard-coded in
 * two pods at once, grpc (grpc.health.v1 over h2c on a hard-coded [::]:50051), and a failing
 * liveness probe replacing the instance. Skipped, saying why and the fix, where the machine
 * cannot run containers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from './platform.js';
import type { RunningPlatform } from './platform.js';
import { createSandboxDriver } from './sandbox/index.js';
import { checkOciRuntime } from './sandbox/container/oci-runtime.js';
import { GRPC_TEST_SERVER, PROBE_TEST_SERVER } from './sandbox/testing/container-test-servers.js';
import { buildNodeTestImage } from './sandbox/testing/oci-test-image.js';
import { sayHello } from './sandbox/testing/test-grpc-client.js';
import { request, testProbe, testSpec, waitFor } from './testing/platform-kit.js';
import type { FunctionSpec } from './function-spec/index.js';

const check = checkOciRuntime();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`container probe tests skipped: ${skipReason}\n`);

const node = process.execPath;

describe.skipIf(skipReason !== undefined)('spec probes on the container sandbox (runc)', () => {
  let dir: string;
  let image: string;
  let platform: RunningPlatform;
  const platformLog: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-ctr-probes-'));
    image = await buildNodeTestImage(path.join(dir, 'layout'), {
      '/app/probe.js': PROBE_TEST_SERVER,
      '/app/grpc.js': GRPC_TEST_SERVER,
    });
    platform = await startPlatform({
      port: 0,
      stateDir: path.join(dir, 'state'),
      log: (line) => platformLog.push(line),
      createDriver: (kind, context) =>
        createSandboxDriver(kind, {
          ...context,
          // Unpacked once per machine, as the data dir keeps them across runs.
          imagesDir: path.join(os.tmpdir(), 'hivelab-test-images'),
        }),
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function spec(
    name: string,
    script: string,
    env: Record<string, string>,
    extra: Partial<FunctionSpec>,
  ): FunctionSpec {
    return {
      ...testSpec(name),
      image,
      command: [],
      env: {},
      workingDir: '/',
      sandbox: 'container',
      containers: [{ name: 'fn', image, command: [node, script], env }],
      ...extra,
    };
  }
  const status = (name: string) => platform.list().find((f) => f.name === name);

  it("httpGet gates the first traffic, and its wait is the cold start's last phase", async () => {
    let deployed = false;
    const deploying = platform
      .deploy(
        spec(
          'ctr-gated',
          '/app/probe.js',
          { READY_AFTER_MS: '2500' },
          { readinessProbe: testProbe({ kind: 'httpGet', path: '/ready', headers: [] }) },
        ),
      )
      .then(() => (deployed = true));
    await new Promise((r) => setTimeout(r, 1500));
    // The pod runs and answers on 8080, but its probe says 503: not ready, not deployed.
    expect(deployed).toBe(false);
    expect(status('ctr-gated')?.readyInstances ?? 0).toBe(0);
    await deploying;
    expect((await request(platform.url, '/fn/ctr-gated/')).body).toMatch(/^served by ctr-gated-/);
    const history = JSON.parse(
      (await request(platform.url, '/_hivelab/functions/default/ctr-gated/history')).body,
    ) as { coldStarts: { phases: { spawnMs: number; sandboxReadyMs?: number; readyMs: number } }[] };
    const phases = history.coldStarts[0]!.phases;
    expect(phases.sandboxReadyMs).toBeGreaterThanOrEqual(phases.spawnMs);
    // The process answered its port well before the probe passed (2.5 s after its start).
    expect(phases.readyMs - phases.sandboxReadyMs!).toBeGreaterThan(500);
    expect(phases.readyMs).toBeGreaterThanOrEqual(2500);
    await platform.remove('default', 'ctr-gated');
  }, 60_000);

  it('tcpSocket on another port of the pod, hard-coded in two pods at once', async () => {
    await platform.deploy(
      spec(
        'ctr-tcp',
        '/app/probe.js',
        { PROBE_PORT: '9100' },
        {
          readinessProbe: testProbe({ kind: 'tcpSocket', port: 9100 }),
          autoscaling: { ...testSpec('x').autoscaling, initialScale: 2, minScale: 2 },
        },
      ),
    );
    expect(status('ctr-tcp')?.readyInstances).toBe(2);
    await platform.remove('default', 'ctr-tcp');
  }, 60_000);

  it('grpc: grpc.health.v1 over h2c on the pod port [::]:50051', async () => {
    await platform.deploy(
      spec(
        'ctr-grpc',
        '/app/grpc.js',
        { READY_AFTER_MS: '1000' },
        {
          protocol: 'h2c',
          containerPort: 50051,
          readinessProbe: testProbe({ kind: 'grpc', service: '' }),
        },
      ),
    );
    const history = JSON.parse(
      (await request(platform.url, '/_hivelab/functions/default/ctr-grpc/history')).body,
    ) as { coldStarts: { phases: { readyMs: number } }[] };
    // NOT_SERVING for the first second: the probe, not the port, made it ready.
    expect(history.coldStarts[0]!.phases.readyMs).toBeGreaterThanOrEqual(1000);
    const port = Number(new URL(platform.url).port);
    expect(await sayHello(port, 'probe', 'ctr-grpc.default.localhost')).toMatch(
      /^Hello, probe from ctr-grpc-/,
    );
    await platform.remove('default', 'ctr-grpc');
  }, 60_000);

  it('a failing livenessProbe replaces the instance', async () => {
    // From the launch, as the process sandbox: the delay covers the pod's own start (with
    // none, the first probe finds nothing listening yet and counts a failure).
    await platform.deploy(
      spec(
        'ctr-live',
        '/app/probe.js',
        { LIVE_FOR_MS: '3000' },
        {
          livenessProbe: testProbe(
            { kind: 'httpGet', path: '/livez', headers: [] },
            { initialDelaySeconds: 1, failureThreshold: 2 },
          ),
        },
      ),
    );
    const first = (await request(platform.url, '/fn/ctr-live/')).body;
    expect(first).toMatch(/^served by ctr-live-/);
    await waitFor(
      'the liveness kill',
      () => platformLog.some((l) => l.includes('ctr-live') && l.includes('failed its livenessProbe')),
      20_000,
    );
    expect(platformLog.join('\n')).toMatch(
      /instance ctr-live-\w+ of default\/ctr-live failed its livenessProbe 2 times \(HTTP GET \/livez: status 500\) and was replaced/,
    );
    await waitFor(
      'a ready replacement',
      () => (status('ctr-live')?.coldStarts ?? 0) >= 2 && status('ctr-live')?.readyInstances === 1,
      20_000,
    );
    const second = (await request(platform.url, '/fn/ctr-live/')).body;
    expect(second).toMatch(/^served by ctr-live-/);
    expect(second).not.toBe(first);
    await platform.remove('default', 'ctr-live');
  }, 60_000);
});
