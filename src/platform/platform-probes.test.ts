/**
 * The spec's readiness and liveness probes end to end, with real processes: httpGet gating
 * the first traffic and taking an instance out of routing while it fails, a failing
 * liveness probe replacing the instance, a tcpSocket probe on another port of the
 * instance, and a grpc probe (grpc.health.v1 over h2c).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { startPlatform } from './platform.js';
import type { RunningPlatform } from './platform.js';
import { request, testProbe, testSpec, waitFor } from './testing/platform-kit.js';
import { pickFreePort } from './sandbox/launch/free-port.js';

/** /ready and /livez answer 200 while READY_FILE and LIVE_FILE exist, else 503 / 500. */
const HTTP_SERVER = `
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
http.createServer((req, res) => {
  if (req.url === '/ready') { res.statusCode = fs.existsSync(process.env.READY_FILE) ? 200 : 503; return res.end(); }
  if (req.url === '/livez') { res.statusCode = fs.existsSync(process.env.LIVE_FILE) ? 200 : 500; return res.end(); }
  res.end('served by ' + process.pid);
}).listen(Number(process.env.PORT), '127.0.0.1');
if (process.env.PROBE_PORT) net.createServer((s) => s.end()).listen(Number(process.env.PROBE_PORT), '127.0.0.1');
`;

/** helloworld plus grpc.health.v1: SERVING while READY_FILE exists. */
const GRPC_SERVER = `
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const req = createRequire(path.join(process.env.HIVELAB_PACKAGE_ROOT, 'package.json'));
const grpc = req('@grpc/grpc-js');
const loader = req('@grpc/proto-loader');
const load = (file) => grpc.loadPackageDefinition(loader.loadSync(path.join(process.env.HIVELAB_PACKAGE_ROOT, 'proto', file), { enums: String }));
const server = new grpc.Server();
server.addService(load('helloworld.proto').helloworld.Greeter.service, { SayHello: (call, cb) => cb(null, { message: 'Hello, ' + call.request.name }) });
server.addService(load('grpc/health/v1/health.proto').grpc.health.v1.Health.service, {
  Check: (call, cb) => cb(null, { status: fs.existsSync(process.env.READY_FILE) ? 'SERVING' : 'NOT_SERVING' }),
});
server.bindAsync('127.0.0.1:' + process.env.PORT, grpc.ServerCredentials.createInsecure(), () => undefined);
`;

let dir: string;
let platform: RunningPlatform;
const platformLog: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-probes-'));
  await writeFile(path.join(dir, 'http.cjs'), HTTP_SERVER);
  await writeFile(path.join(dir, 'grpc.cjs'), GRPC_SERVER);
  platform = await startPlatform({
    port: 0,
    stateDir: path.join(dir, 'state'),
    log: (l) => platformLog.push(l),
  });
});
afterAll(async () => {
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

function spec(
  name: string,
  script: string,
  extra: Record<string, unknown>,
  env: Record<string, string> = {},
) {
  return {
    ...testSpec(name, {
      env: { READY_FILE: path.join(dir, `${name}.ready`), LIVE_FILE: path.join(dir, `${name}.live`), ...env },
    }),
    command: [process.execPath, path.join(dir, script)],
    workingDir: dir,
    ...extra,
  };
}
const status = (name: string) => platform.list().find((f) => f.name === name)!;

describe('readinessProbe', () => {
  it('httpGet gates the first traffic, then takes the instance out of routing while it fails', async () => {
    const readyFile = path.join(dir, 'gated.ready');
    let deployed = false;
    const deploying = platform
      .deploy(
        spec('gated', 'http.cjs', {
          readinessProbe: testProbe({ kind: 'httpGet', path: '/ready', headers: [] }),
        }),
      )
      .then(() => (deployed = true));
    await new Promise((r) => setTimeout(r, 2500));
    // Started and serving on PORT, but its readiness probe says 503: not ready, not deployed.
    expect(deployed).toBe(false);
    expect(status('gated')?.readyInstances ?? 0).toBe(0);
    await writeFile(readyFile, '');
    await deploying;
    expect((await request(platform.url, '/fn/gated/')).body).toMatch(/^served by \d+$/);
    // The probe's wait (>= the 2.5 s before READY_FILE) is the cold start's last phase.
    const history = JSON.parse(
      (await request(platform.url, '/_hivelab/functions/default/gated/history')).body,
    ) as { coldStarts: { phases: { spawnMs: number; sandboxReadyMs?: number; readyMs: number } }[] };
    const phases = history.coldStarts[0]!.phases;
    expect(phases.sandboxReadyMs).toBeGreaterThanOrEqual(phases.spawnMs);
    expect(phases.sandboxReadyMs).toBeLessThan(2000);
    expect(phases.readyMs - phases.sandboxReadyMs!).toBeGreaterThanOrEqual(2400);

    await unlink(readyFile);
    await waitFor('unready', () => status('gated').readyInstances === 0, 10_000);
    // Unready is not dead: the same instance stays, and comes back when the probe passes again.
    expect(status('gated').desiredInstances).toBe(1);
    await writeFile(readyFile, '');
    await waitFor('ready again', () => status('gated').readyInstances === 1, 10_000);
    expect(status('gated').coldStarts).toBe(1);
  }, 60_000);

  it('tcpSocket on another port of the instance', async () => {
    const probePort = await pickFreePort();
    await platform.deploy(
      spec(
        'tcp-other',
        'http.cjs',
        {
          readinessProbe: testProbe(
            { kind: 'tcpSocket', port: probePort },
            { periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0 },
          ),
        },
        { PROBE_PORT: String(probePort) },
      ),
    );
    expect(status('tcp-other').readyInstances).toBe(1);
  }, 30_000);

  it('grpc: grpc.health.v1 SERVING makes it ready, NOT_SERVING unready', async () => {
    const readyFile = path.join(dir, 'grpc-fn.ready');
    await writeFile(readyFile, '');
    await platform.deploy({
      ...spec(
        'grpc-fn',
        'grpc.cjs',
        { readinessProbe: testProbe({ kind: 'grpc', service: '' }) },
        { HIVELAB_PACKAGE_ROOT: packageRoot },
      ),
      protocol: 'h2c',
    });
    expect(status('grpc-fn').readyInstances).toBe(1);
    await unlink(readyFile);
    await waitFor('NOT_SERVING makes it unready', () => status('grpc-fn').readyInstances === 0, 10_000);
  }, 30_000);
});

describe('livenessProbe', () => {
  it("failing failureThreshold times in a row replaces the instance; today's built-in probe still gates readiness", async () => {
    const liveFile = path.join(dir, 'lively.live');
    await writeFile(liveFile, '');
    await platform.deploy(
      spec('lively', 'http.cjs', {
        livenessProbe: testProbe({ kind: 'httpGet', path: '/livez', headers: [] }, { failureThreshold: 2 }),
      }),
    );
    const first = (await request(platform.url, '/fn/lively/')).body;
    await unlink(liveFile);
    await waitFor(
      'the liveness kill',
      () => platformLog.some((l) => l.includes('failed its livenessProbe')),
      15_000,
    );
    expect(platformLog.join('\n')).toMatch(
      /instance lively-\w+ of default\/lively failed its livenessProbe 2 times \(HTTP GET \/livez: status 500\) and was replaced/,
    );
    await writeFile(liveFile, '');
    await waitFor(
      'a replacement',
      () => status('lively').coldStarts >= 2 && status('lively').readyInstances === 1,
      20_000,
    );
    const second = (await request(platform.url, '/fn/lively/')).body;
    expect(second).not.toBe(first);
    expect(existsSync(liveFile)).toBe(true);
  }, 60_000);
});
