/**
 * The process sandbox's pod networks at the driver level, real parts (namespaces, veth
 * pairs, iptables, /proc): PORT is the containerPort and the instance is in a namespace of
 * its own, removed when it ends; a readiness failure names what it listens on in there;
 * hivelab's URLs reach a server on the host's loopback; prewarm stays on the host network,
 * and says so; with pod networks off (the fallback where namespaces are not allowed), a
 * random host PORT, said once, and the readiness failure names probed and listening ports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPodNetwork } from '../network/pod-network-check.js';
import { createSandboxDriver } from '../sandbox-driver.js';
import type { HivelabSandboxDriver, SandboxDriverOptions } from '../sandbox-driver.js';
import type { Sandbox } from '../sandbox.js';
import { testSpec } from '../testing/sandbox.contract.js';

const check = checkPodNetwork();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`process pod network tests skipped: ${skipReason}\n`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hivelab-proc-podnet-'));
const drivers: HivelabSandboxDriver[] = [];
const sandboxes: Sandbox[] = [];
const logs: string[] = [];
let hostServer: http.Server;

function script(name: string, source: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, source);
  return file;
}

function launch(
  name: string,
  file: string,
  spec: Partial<Parameters<typeof testSpec>[0]> = {},
  options: SandboxDriverOptions = {},
): Sandbox {
  const driver = createSandboxDriver('process', {
    stateDir: path.join(tmp, 'state'),
    log: (line) => logs.push(line),
    ...options,
  });
  drivers.push(driver);
  const full = testSpec({ command: [process.execPath, file], workingDir: tmp, ...spec });
  delete full.handlerModule;
  const sandbox = driver.launch(full, name);
  sandboxes.push(sandbox);
  return sandbox;
}

/** Answers PORT and the namespace it runs in; fetches ?url= for the caller. */
const ENV_SERVER = `
const fs = require('node:fs');
require('node:http').createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x').searchParams.get('url');
  const fetched = url ? await (await fetch(url)).text() : undefined;
  res.end(JSON.stringify({ port: process.env.PORT, netns: fs.readlinkSync('/proc/self/ns/net'), gateway: process.env.HIVELAB_GATEWAY_URL, fetched }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

beforeAll(async () => {
  hostServer = http.createServer((req, res) => res.end(`host loopback ${req.url}`));
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.stop(500)));
  await Promise.all(drivers.map((d) => d.close()));
  hostServer.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('process sandbox in a pod network', () => {
  it('PORT is the containerPort, in a namespace of its own that goes with the instance; hivelab URLs reach the host', async () => {
    const hostPort = (hostServer.address() as AddressInfo).port;
    const sandbox = launch('pod-env', script('env.cjs', ENV_SERVER), {
      containerPort: 9090,
      env: { HIVELAB_GATEWAY_URL: `http://127.0.0.1:${hostPort}` },
    });
    await sandbox.ready;
    expect(sandbox.pod?.containerPort).toBe(9090);
    expect(sandbox.pod?.ip).toMatch(/^10\.213\./);
    const inPod = (await (await fetch(`http://127.0.0.1:${sandbox.port}/`)).json()) as {
      port: string;
      netns: string;
      gateway: string;
    };
    expect(inPod.port).toBe('9090');
    expect(inPod.netns).not.toBe(readlinkSync('/proc/self/ns/net'));
    const hostEnd = inPod.gateway;
    expect(hostEnd).toBe(`http://${new URL(hostEnd).hostname}:${hostPort}`);
    const called = (await (
      await fetch(`http://127.0.0.1:${sandbox.port}/?url=${encodeURIComponent(`${hostEnd}/from-pod`)}`)
    ).json()) as { fetched: string };
    expect(called.fetched).toBe('host loopback /from-pod');
    const hostIp = new URL(hostEnd).hostname;
    await sandbox.stop(2000);
    expect((await sandbox.exited).reason).toBe('stopped');
    // The veth pair (its host end holds hostIp) and the NAT rules are gone with the instance.
    expect(execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' })).not.toContain(
      `${hostIp}/`,
    );
    expect(execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' })).not.toContain(`${hostIp}`);
  });

  it('a readiness failure names the containerPort probed and the port it listens on in the pod', async () => {
    const file = script(
      'wrong-port.cjs',
      `require('node:http').createServer((q, s) => s.end()).listen(9999, '::');`,
    );
    const sandbox = launch('pod-wrong-port', file, {}, { readyTimeoutMs: 1500 });
    await expect(sandbox.ready).rejects.toThrow(
      /did not get ready within 1500 ms and was killed: probed port 8080 \(PORT\); the process listens on port 9999/,
    );
  });

  it('prewarm specialises a runtime on the host network, and says so', async () => {
    const driver = createSandboxDriver('process', { log: (line) => logs.push(line) });
    drivers.push(driver);
    const spec = testSpec({ name: 'prewarmed', coldStart: 'prewarm', containerPort: 50051 });
    await driver.prepare(spec);
    const sandbox = driver.launch(spec, 'pod-prewarm');
    sandboxes.push(sandbox);
    await sandbox.ready;
    expect(sandbox.pod).toBeUndefined();
    expect(await (await fetch(`http://127.0.0.1:${sandbox.port}/env?key=PORT`)).text()).toBe(
      String(sandbox.port),
    );
    expect(logs).toContain(
      "function default/prewarmed: cold-start mode 'prewarm' specialises a runtime already running on the host network: its instances get a random host PORT, not containerPort 50051",
    );
  });
});

describe('process sandbox with pod networks off (the fallback)', () => {
  it('a random host PORT, said once; a hard-coded port fails readiness naming both ports', async () => {
    const before = logs.length;
    const file = script(
      'hard-coded.cjs',
      `require('node:http').createServer((q, s) => s.end()).listen(50051, '::');`,
    );
    const sandbox = launch(
      'host-hard-coded',
      file,
      { containerPort: 50051 },
      { podNetwork: 'off', readyTimeoutMs: 1500 },
    );
    const error = await sandbox.ready.then(
      () => new Error('got ready'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain(
      `probed port ${sandbox.port} (PORT); the process listens on port 50051 (serve on $PORT, or declare the port it uses as containerPort)`,
    );
    expect(sandbox.pod).toBeUndefined();
    expect(logs.slice(before).filter((line) => line.includes('network'))).toEqual([
      'sandbox process: process instances share the host network with a random PORT (not containerPort): pod networks are off (HIVELAB_POD_NETWORK=off)',
    ]);
  });
});
