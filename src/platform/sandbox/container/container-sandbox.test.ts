/**
 * The container sandbox with real runc: an image this test builds from the machine's Node
 * binary, servers on their own hard-coded ports, two instances at once, limits, crashes,
 * `$(PORT)` in args, readiness failures naming the ports. Skipped (saying why and the fix)
 * where the machine cannot run containers.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAutoscaling, parseServiceYaml } from '../../function-spec/index.js';
import type { ContainerSpec, FunctionSpec } from '../../function-spec/index.js';
import { createSandboxDriver } from '../sandbox-driver.js';
import type { HivelabSandboxDriver } from '../sandbox-driver.js';
import type { Sandbox } from '../sandbox.js';
import { sayHello } from '../testing/test-grpc-client.js';
import { GRPC_TEST_SERVER, HTTP_TEST_SERVER, RELAY_TEST_SERVER } from '../testing/container-test-servers.js';
import { buildNodeTestImage } from '../testing/oci-test-image.js';
import { checkOciRuntime } from './oci-runtime.js';

const check = checkOciRuntime();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`container sandbox tests skipped: ${skipReason}\n`);

describe.skipIf(skipReason !== undefined)('container sandbox (runc)', () => {
  let dir: string;
  let image: string;
  let driver: HivelabSandboxDriver;
  const sandboxes: Sandbox[] = [];

  const node = process.execPath;
  function spec(container: Partial<ContainerSpec> = {}, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
    return {
      name: 'ctr-test',
      namespace: 'default',
      image,
      command: [],
      env: {},
      workingDir: '/',
      protocol: 'http1',
      containerConcurrency: 0,
      timeoutMs: 30_000,
      sandbox: 'container',
      coldStart: 'boot',
      autoscaling: defaultAutoscaling(0),
      containers: [{ name: 'fn', image, env: { GREETING: 'hi' }, ...container }],
      ...overrides,
    };
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-ctr-test-'));
    image = await buildNodeTestImage(
      path.join(dir, 'layout'),
      {
        '/app/http.js': HTTP_TEST_SERVER,
        '/app/grpc.js': GRPC_TEST_SERVER,
        '/app/relay.js': RELAY_TEST_SERVER,
      },
      { entrypoint: [node, '/app/http.js'] },
    );
    driver = createSandboxDriver('container', {
      stateDir: path.join(dir, 'state'),
      // Unpacked once per machine, as the data dir keeps them across runs.
      imagesDir: path.join(os.tmpdir(), 'hivelab-test-images'),
      readyTimeoutMs: 20_000,
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop(500)));
    await driver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function launch(s: FunctionSpec, id: string): Promise<Sandbox> {
    const sandbox = driver.launch(s, id);
    sandboxes.push(sandbox);
    await sandbox.ready;
    return sandbox;
  }
  const get = async (sandbox: Sandbox, url: string): Promise<string> =>
    (await fetch(`http://127.0.0.1:${sandbox.port}${url}`)).text();

  it('two instances serve at once, each on its own hard-coded 8080, with PORT = containerPort', async () => {
    const [a, b] = await Promise.all([launch(spec(), 'ctr-http-a'), launch(spec(), 'ctr-http-b')]);
    expect(a.port).not.toBe(b.port);
    expect(a.pod?.containerPort).toBe(8080);
    expect(await get(a, '/')).toBe('hello from ctr-http-a');
    expect(await get(b, '/')).toBe('hello from ctr-http-b');
    const env = JSON.parse(await get(a, '/env')) as Record<string, string>;
    expect(env).toMatchObject({
      PORT: '8080',
      GREETING: 'hi',
      K_SERVICE: 'ctr-test',
      HIVELAB_INSTANCE_ID: 'ctr-http-a',
    });
    // The host's environment stays out; the image's PATH is the one the process sees.
    expect(env.HOME).not.toBe(process.env.HOME);
    expect(env.PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    const phases = await a.ready;
    expect(phases.container!.createMs).toBeGreaterThan(0);
    expect(phases.spawnMs).toBeGreaterThanOrEqual(phases.container!.imageMs);
    await a.stop(2000);
    const exit = await a.exited;
    expect(exit.reason).toBe('stopped');
    expect(exit.signal).toBeNull();
  }, 60_000);

  it('serves gRPC on [::]:50051 hard-coded, declared as containerPort', async () => {
    const sandbox = await launch(
      spec({ command: [node, '/app/grpc.js'] }, { protocol: 'h2c', containerPort: 50051 }),
      'ctr-grpc',
    );
    expect(await sayHello(sandbox.port, 'vhive')).toBe('Hello, vhive from ctr-grpc');
  }, 30_000);

  it('expands $(PORT) and $(VAR) in args, keeps $$(PORT) literal', async () => {
    const sandbox = await launch(
      spec(
        {
          args: ['$(PORT)', '--name=$(GREETING)', '$$(PORT)'],
          env: { GREETING: 'hi', LISTEN_HOST: '0.0.0.0' },
        },
        { containerPort: 9090 },
      ),
      'ctr-args',
    );
    expect(JSON.parse(await get(sandbox, '/argv'))).toEqual(['9090', '--name=hi', '$(PORT)']);
  }, 30_000);

  it('runs a two-container pod: the serving sidecar reaches the function on the pod loopback', async () => {
    const pod = spec(
      { name: 'relay', command: [node, '/app/relay.js'] },
      {
        containers: [
          { name: 'relay', image, command: [node, '/app/relay.js'], env: {} },
          { name: 'function', image, args: ['9000'], env: {} },
        ],
      },
    );
    const sandbox = await launch(pod, 'ctr-pod');
    // Ready means the serving container answers (Knative probes that one); its neighbour may still be starting.
    let reply = '';
    for (let i = 0; i < 100 && !reply.startsWith('relayed: hello'); i++) {
      reply = await get(sandbox, '/');
      if (!reply.startsWith('relayed: hello')) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reply).toBe('relayed: hello from ctr-pod');
    // The function container does not get PORT: only the serving one does.
    expect(JSON.parse((await get(sandbox, '/env')).slice('relayed: '.length))).not.toHaveProperty('PORT');
  }, 30_000);

  it("runs vSwarm's relay + function pod: the built-in relay calls the function container's own gRPC method", async () => {
    const yaml = [
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: { name: aes-python }',
      'spec:',
      '  template:',
      '    metadata: { annotations: { hivelab.dev/sandbox: container } }',
      '    spec:',
      '      containers:',
      '        - image: docker.io/vhiveease/relay:latest',
      '          ports: [{ name: h2c, containerPort: 50000 }]',
      '          args: [--addr=0.0.0.0:50000, --function-endpoint-url=0.0.0.0, --function-endpoint-port=50051, --function-name=aes-python]',
      `        - image: ${image}`,
      `          command: [${node}, /app/grpc.js]`,
    ].join('\n');
    const pod = parseServiceYaml(yaml, { baseDir: dir });
    const sandbox = await launch(pod, 'ctr-relay');
    // The relay sends vSwarm's aes input ("A unique message") to aes.Aes/ShowEncryption on 50051 in the pod.
    let reply = '';
    for (let i = 0; i < 100 && reply === ''; i++) {
      reply = await sayHello(sandbox.port, 'invoker').catch(async () => {
        await new Promise((r) => setTimeout(r, 50));
        return '';
      });
    }
    expect(reply).toBe('Hello, A unique message from ctr-relay');
  }, 30_000);

  it('a crash ends as crashed with its last error line', async () => {
    const sandbox = await launch(spec(), 'ctr-crash');
    await fetch(`http://127.0.0.1:${sandbox.port}/crash`).catch(() => undefined);
    const exit = await sandbox.exited;
    expect(exit).toMatchObject({ reason: 'crashed', code: 3 });
    expect(exit.message).toContain('Error: boom in the container');
  }, 30_000);

  it('the memory limit binds the pod: over it, the OOM killer ends it as oom', async () => {
    const sandbox = await launch(spec({}, { memoryLimitBytes: 96 * 1024 * 1024 }), 'ctr-oom');
    await fetch(`http://127.0.0.1:${sandbox.port}/grow`).catch(() => undefined);
    const exit = await sandbox.exited;
    expect(exit.reason).toBe('oom');
    expect(exit.message).toMatch(/memory limit of 96 MB \(cgroup v\d OOM killer\)/);
  }, 30_000);

  it('the CPU limit binds the pod: 1 s of busy loop at 200m gets about 0.2 s of CPU', async () => {
    const sandbox = await launch(spec({}, { cpuLimitMillicores: 200 }), 'ctr-cpu');
    const before = sandbox.usage().cpuUs;
    expect(await get(sandbox, '/cpu?ms=1000')).toBe('done');
    const used = sandbox.usage().cpuUs - before;
    // CFS quota 20 ms per 100 ms: at most ~0.2 s (+ one period of slack); never nothing.
    expect(used).toBeGreaterThan(50_000);
    expect(used).toBeLessThan(400_000);
    expect(sandbox.usage().rssBytes).toBeGreaterThan(0);
  }, 30_000);

  it('a server on another port than containerPort fails readiness, naming both ports', async () => {
    const slow = createSandboxDriver('container', {
      stateDir: path.join(dir, 'state-slow'),
      imagesDir: path.join(os.tmpdir(), 'hivelab-test-images'),
      readyTimeoutMs: 1500,
    });
    try {
      const sandbox = slow.launch(spec({ command: [node, '/app/http.js', '7070'] }), 'ctr-wrong-port');
      await expect(sandbox.ready).rejects.toThrow(
        /probed port 8080 \(PORT\); the process listens on port 7070/,
      );
    } finally {
      await slow.close();
    }
  }, 30_000);
});
