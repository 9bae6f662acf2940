import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors.js';
import { runtimeRunnerPath } from '../../runtime/index.js';
import {
  eventually,
  expectSanePhases,
  runSandboxContract,
  testFunctionPath,
  testSpec,
} from '../testing/sandbox.contract.js';
import { detectIsolation } from '../accounting/isolation.js';
import { createSandboxDriver } from '../sandbox-driver.js';
import type { HivelabSandboxDriver } from '../sandbox-driver.js';
import type { Sandbox } from '../sandbox.js';
import { sayHello } from '../testing/test-grpc-client.js';

runSandboxContract('process');

describe('process sandbox without cgroups', () => {
  runSandboxContract('process', { cgroups: 'off' });
});

describe('process sandbox specifics', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hivelab-sandbox-test-'));
  const drivers: HivelabSandboxDriver[] = [];
  const sandboxes: Sandbox[] = [];
  const driver = (options: Parameters<typeof createSandboxDriver>[1] = {}): HivelabSandboxDriver => {
    const d = createSandboxDriver('process', { stateDir: path.join(tmp, 'state'), ...options });
    drivers.push(d);
    return d;
  };
  const track = (s: Sandbox): Sandbox => {
    sandboxes.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop(500)));
    await Promise.all(drivers.map((d) => d.close()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('builds a snapshot after the first invocation and restores the next instance from it', async () => {
    const d = driver();
    const spec = testSpec({ coldStart: 'snapshot' });
    const first = track(d.launch(spec, 'snap-1'));
    await first.ready;
    expect(first.restoredFromSnapshot).toBe(false);
    expect(await d.snapshotBuilt(spec)).toBeUndefined();
    await fetch(`http://127.0.0.1:${first.port}/`);
    let blob: string | undefined;
    await eventually(async () => {
      blob = await d.snapshotBuilt(spec);
      return blob !== undefined;
    }, 60_000);
    expect(blob).toMatch(/test-function-[0-9a-f]{20}\.blob$/);
    const second = track(d.launch(spec, 'snap-2'));
    expectSanePhases(await second.ready);
    expect(second.restoredFromSnapshot).toBe(true);
    const ctx = (await (await fetch(`http://127.0.0.1:${second.port}/ctx`)).json()) as {
      instanceId: string;
      initialisedAt: number;
    };
    // init() ran at build time, before this instance was launched; the env is this instance's.
    expect(ctx.instanceId).toBe('snap-2');
    expect(ctx.initialisedAt).toBeLessThan(Date.now());
    await second.stop(2000);
    expect((await second.exited).reason).toBe('stopped');
    // The same blob serves gRPC: grpc-js is required after the restore, not at build time.
    const grpcInstance = track(d.launch({ ...spec, protocol: 'h2c' }, 'snap-grpc'));
    await grpcInstance.ready;
    expect(grpcInstance.restoredFromSnapshot).toBe(true);
    expect(await sayHello(grpcInstance.port, 'snapshot')).toBe('Hello, snapshot from snap-grpc');
    // Another driver on the same state dir finds the blob by content after one invocation.
    const d2 = driver();
    const third = track(d2.launch(spec, 'snap-3'));
    await third.ready;
    await fetch(`http://127.0.0.1:${third.port}/`);
    await eventually(async () => (await d2.snapshotBuilt(spec)) === blob);
  });

  it('prewarm: the launch specialises a pooled runtime and the pool refills', async () => {
    const d = driver({ prewarmPoolSize: 1 });
    const spec = testSpec({ coldStart: 'prewarm', env: { GREETING_TARGET: 'prewarmed' } });
    await d.prepare(spec);
    expect(d.prewarmAvailable()).toBe(1);
    const sandbox = track(d.launch(spec, 'pre-1'));
    expect(d.prewarmAvailable()).toBe(0);
    const phases = await sandbox.ready;
    expect(phases.spawnMs).toBe(0);
    expectSanePhases(phases);
    expect(await (await fetch(`http://127.0.0.1:${sandbox.port}/env?key=GREETING_TARGET`)).text()).toBe(
      'prewarmed',
    );
    const ctx = (await (await fetch(`http://127.0.0.1:${sandbox.port}/ctx`)).json()) as { cwd: string };
    expect(ctx.cwd).toBe(spec.workingDir);
    await eventually(() => d.prewarmAvailable() === 1);
  });

  it('prewarm: a connection opened before the instance is ready is served once it is (HTTP/1.1)', async () => {
    const d = driver({ prewarmPoolSize: 1 });
    const spec = testSpec({ coldStart: 'prewarm', env: { GREETING_TARGET: 'early' } });
    await d.prepare(spec);
    const sandbox = track(d.launch(spec, 'pre-early'));
    // The pooled runtime listens already: the port is known and takes connections now.
    expect(sandbox.acceptsBeforeReady).toBe(true);
    const socket = net.connect(sandbox.port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    // Sent before the function's server exists: the bytes wait in the socket, then are parsed.
    socket.write('GET /env?key=GREETING_TARGET HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await sandbox.ready;
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.endsWith('\r\n\r\nearly')).toBe(true);
  });

  it('prewarm: an HTTP/2 session opened before the instance is ready carries its gRPC calls', async () => {
    const d = driver({ prewarmPoolSize: 1 });
    const spec = testSpec({ coldStart: 'prewarm', protocol: 'h2c' });
    await d.prepare(spec);
    const sandbox = track(d.launch(spec, 'pre-h2'));
    const session = http2.connect(`http://127.0.0.1:${sandbox.port}`);
    try {
      await sandbox.ready;
      const name = Buffer.from('early');
      const stream = session.request({
        ':method': 'POST',
        ':path': '/helloworld.Greeter/SayHello',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise((resolve, reject) => {
        stream.once('end', resolve);
        stream.once('error', reject);
      });
      // gRPC frame: not compressed, 4-byte length, then HelloRequest { name (1) }.
      stream.end(Buffer.concat([Buffer.from([0, 0, 0, 0, name.length + 2, 0x0a, name.length]), name]));
      await done;
      const reply = Buffer.concat(chunks);
      // HelloReply { message (1) } after the 5-byte frame header and the field's tag and length.
      expect(reply.subarray(7).toString('utf8')).toBe('Hello, early from pre-h2');
    } finally {
      session.destroy();
    }
  });

  it('probes an executable that is not ours until it answers, with spawn and ready phases', async () => {
    const script = path.join(tmp, 'slow-server.cjs');
    writeFileSync(
      script,
      `const http = require('node:http');
       setTimeout(() => http.createServer((q, s) => s.end('plain ' + process.env.PORT)).listen(Number(process.env.PORT), '127.0.0.1'), 300);`,
    );
    const d = driver();
    const spec = testSpec({ command: [process.execPath, script], workingDir: tmp });
    delete spec.handlerModule;
    const sandbox = track(d.launch(spec, 'plain-1'));
    const phases = await sandbox.ready;
    expectSanePhases(phases);
    expect(phases.readyMs).toBeGreaterThanOrEqual(300);
    // No runner inside: only spawn and ready were measured.
    expect(Object.keys(phases).sort()).toEqual(['readyMs', 'spawnMs']);
    // PORT is the pod's containerPort (8080) in a pod network; the host port itself without one.
    expect(await (await fetch(`http://127.0.0.1:${sandbox.port}/`)).text()).toBe(
      `plain ${sandbox.pod?.containerPort ?? sandbox.port}`,
    );
    await sandbox.stop(2000);
    expect((await sandbox.exited).reason).toBe('stopped');
  });

  it('probes an h2c executable that is not ours with an HTTP/2 ping', async () => {
    const script = path.join(tmp, 'h2c-server.cjs');
    writeFileSync(
      script,
      `require('node:http2').createServer((q, s) => s.end('h2')).listen(Number(process.env.PORT), '127.0.0.1');`,
    );
    const spec = testSpec({ command: [process.execPath, script], workingDir: tmp, protocol: 'h2c' });
    delete spec.handlerModule;
    const sandbox = track(driver().launch(spec, 'plain-h2c'));
    expectSanePhases(await sandbox.ready);
    await sandbox.stop(2000);
    expect((await sandbox.exited).reason).toBe('stopped');
  });

  it('an executable that dies before ready rejects ready with its error', async () => {
    const script = path.join(tmp, 'broken.cjs');
    writeFileSync(script, `console.error('starting'); throw new TypeError('cannot start: missing config');`);
    const spec = testSpec({ command: [process.execPath, script], workingDir: tmp });
    delete spec.handlerModule;
    const sandbox = track(driver().launch(spec, 'broken-1'));
    await expect(sandbox.ready).rejects.toThrow(/TypeError: cannot start: missing config/);
    expect((await sandbox.exited).reason).toBe('crashed');
  });

  it('an instance that never gets ready is killed after readyTimeoutMs', async () => {
    const script = path.join(tmp, 'never-listens.cjs');
    writeFileSync(script, `setInterval(() => undefined, 1000);`);
    const spec = testSpec({ command: [process.execPath, script], workingDir: tmp });
    delete spec.handlerModule;
    const sandbox = track(driver({ readyTimeoutMs: 1500 }).launch(spec, 'hung-1'));
    await expect(sandbox.ready).rejects.toThrow(/did not get ready within 1500 ms/);
    expect((await sandbox.exited).reason).toBe('crashed');
  });

  it('a command that does not exist ends as crashed', async () => {
    const spec = testSpec({ command: [path.join(tmp, 'no-such-binary')] });
    delete spec.handlerModule;
    const sandbox = track(driver().launch(spec, 'missing-1'));
    await expect(sandbox.ready).rejects.toThrow(/ENOENT/);
    expect((await sandbox.exited).message).toMatch(/could not start/);
  });

  it('resetPeak() starts a new peak-RSS measurement', async () => {
    const spec = testSpec({
      command: [process.execPath, '--expose-gc', runtimeRunnerPath(), testFunctionPath],
    });
    const sandbox = track(driver().launch(spec, 'peak-1'));
    await sandbox.ready;
    await fetch(`http://127.0.0.1:${sandbox.port}/spike?mb=96`);
    const spiked = sandbox.usage();
    expect(spiked.peakRssBytes - spiked.rssBytes).toBeGreaterThan(48 * 1024 * 1024);
    sandbox.resetPeak();
    const reset = sandbox.usage();
    expect(reset.peakRssBytes - reset.rssBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it.runIf(detectIsolation().cgroup === 'v1')(
    'puts the instance in its own cgroups with the memory and CPU limits, removed after exit',
    async () => {
      const spec = testSpec({ memoryLimitBytes: 200 * 1024 * 1024, cpuLimitMillicores: 250 });
      const sandbox = track(driver().launch(spec, 'limits-1'));
      await sandbox.ready;
      const cgroups = readFileSync(`/proc/${sandbox.pid}/cgroup`, 'utf8');
      const memoryPath = /^\d+:memory:(.+)$/m.exec(cgroups)?.[1];
      const cpuPath = /^\d+:(?:cpu|cpu,cpuacct):(.+)$/m.exec(cgroups)?.[1];
      expect(memoryPath).toContain('/hivelab/limits-1-');
      expect(cpuPath).toContain('/hivelab/limits-1-');
      const memoryDir = path.join('/sys/fs/cgroup/memory', memoryPath!);
      const cpuDir = path.join('/sys/fs/cgroup/cpu', cpuPath!);
      expect(readFileSync(path.join(memoryDir, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(
        String(200 * 1024 * 1024),
      );
      expect(readFileSync(path.join(cpuDir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('25000');
      expect(readFileSync(path.join(cpuDir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('100000');
      await sandbox.stop(2000);
      await eventually(() => !existsSync(memoryDir) && !existsSync(cpuDir), 5000);
    },
  );

  it('snapshot and prewarm refuse a function that is not JavaScript, naming the fix', () => {
    const spec = testSpec({ coldStart: 'snapshot', command: ['/usr/bin/python3', '-m', 'http.server'] });
    delete spec.handlerModule;
    const d = driver();
    expect(() => d.launch(spec, 'x')).toThrow(UserError);
    expect(() => d.launch(spec, 'x')).toThrow(
      "cold-start mode 'snapshot' needs a JavaScript function (builtin: image or hivelab/sdk handler); 'boot' works for any executable",
    );
    expect(() => d.launch({ ...spec, coldStart: 'prewarm' }, 'y')).toThrow(
      /'prewarm' needs a JavaScript function/,
    );
  });
});
