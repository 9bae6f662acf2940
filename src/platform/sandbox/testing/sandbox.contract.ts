/**
 * The contract every sandbox kind passes (as Hono's `common.case.test.ts`): launch in each
 * cold-start mode the kind supports, serve HTTP and gRPC, report sane phases, classify
 * crashes and out-of-memory kills, account CPU, stop gracefully.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeRunnerPath } from '../../runtime/index.js';
import { defaultAutoscaling } from '../../function-spec/default-autoscaling.js';
import type { ColdStartMode, FunctionSpec, SandboxKind } from '../../function-spec/function-spec.js';
import type { ColdStartPhases, Sandbox, SandboxExit } from '../sandbox.js';
import { HIVELAB_HOST_VARIABLES, HOST_ENV_ALLOW_LIST } from '../launch/instance-env.js';
import { createSandboxDriver } from '../sandbox-driver.js';
import type { HivelabSandboxDriver, SandboxDriverOptions } from '../sandbox-driver.js';
import { sayHello } from './test-grpc-client.js';

/** Host variables the env-policy test sets: one an instance must not see, one it passes through. */
const HOST_ONLY_VARIABLE = 'HIVELAB_TEST_HOST_ONLY';
const PASSED_VARIABLE = 'HIVELAB_TEST_PASSED_THROUGH';

export const testFunctionPath = fileURLToPath(new URL('./fixtures/test-function.mjs', import.meta.url));

/** A spec for the test function; `overrides` win. */
export function testSpec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'sandbox-test',
    namespace: 'default',
    image: 'builtin:sandbox-test',
    command: [process.execPath, runtimeRunnerPath(), testFunctionPath],
    env: { GREETING_TARGET: 'contract' },
    workingDir: path.dirname(testFunctionPath),
    protocol: 'http1',
    handlerModule: testFunctionPath,
    containerConcurrency: 0,
    timeoutMs: 30_000,
    sandbox: 'process',
    coldStart: 'boot',
    autoscaling: defaultAutoscaling(0),
    ...overrides,
  };
}

/** Asserts phases are non-negative offsets that never go backwards. */
export function expectSanePhases(phases: ColdStartPhases): void {
  const order = [
    phases.spawnMs,
    phases.runtimeInitMs,
    phases.codeLoadMs,
    phases.functionInitMs,
    phases.readyMs,
  ].filter((value) => value !== undefined);
  for (const value of order) expect(value).toBeGreaterThanOrEqual(0);
  for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThanOrEqual(order[i - 1]!);
  expect(phases.readyMs).toBeGreaterThan(0);
}

/** Polls `check` until it returns true (or fails after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What differs between sandbox kinds where the contract allows it. A container runs an
 * image: its env starts from the image's (not the host allow-list), and `PORT` is the pod's
 * `containerPort`, not the host port that reaches it.
 */
export interface SandboxContractProfile {
  /** Cold-start modes the kind supports. @default process: all three; worker: boot, prewarm */
  modes?: ColdStartMode[];
  /** Runs once before the suite (build an image). */
  setUp?: () => Promise<void>;
  /** Turns the test function's spec into this kind's (e.g. the test function in an image). */
  adapt?: (spec: FunctionSpec) => FunctionSpec;
  /** Variables the instance gets besides the spec's and the platform's. @default the host allow-list */
  baseEnv?: () => { names: readonly string[]; path: string | undefined };
}

/** Runs the shared suite against one sandbox kind. */
export function runSandboxContract(
  kind: SandboxKind,
  options: SandboxDriverOptions = {},
  profile: SandboxContractProfile = {},
): void {
  const modes: ColdStartMode[] =
    profile.modes ?? (kind === 'process' ? ['boot', 'snapshot', 'prewarm'] : ['boot', 'prewarm']);
  const drivers: HivelabSandboxDriver[] = [];
  const sandboxes: Sandbox[] = [];
  let counter = 0;
  const adapt = profile.adapt ?? ((spec: FunctionSpec) => spec);
  const baseEnv = profile.baseEnv ?? (() => ({ names: HOST_ENV_ALLOW_LIST, path: process.env.PATH }));
  const setUp = profile.setUp;
  if (setUp) beforeAll(setUp, 120_000);

  async function launch(
    requested: FunctionSpec,
    extra: SandboxDriverOptions = {},
  ): Promise<{ sandbox: Sandbox; phases: ColdStartPhases }> {
    const spec = adapt(requested);
    const driver = createSandboxDriver(kind, { ...options, ...extra });
    drivers.push(driver);
    await driver.prepare(spec);
    const sandbox = driver.launch(spec, `${kind}-${spec.coldStart}-${counter++}`);
    sandboxes.push(sandbox);
    return { sandbox, phases: await sandbox.ready };
  }

  afterAll(async () => {
    Reflect.deleteProperty(process.env, HOST_ONLY_VARIABLE);
    Reflect.deleteProperty(process.env, PASSED_VARIABLE);
    await Promise.all(sandboxes.map((s) => s.stop(500)));
    await Promise.all(drivers.map((d) => d.close()));
  });

  describe.each(modes)(`${kind} sandbox, cold start %s`, (coldStart) => {
    it('serves HTTP with the function env, reports monotonic phases, stops gracefully', async () => {
      const { sandbox, phases } = await launch(testSpec({ sandbox: kind, coldStart }));
      expectSanePhases(phases);
      expect(sandbox.port).toBeGreaterThan(0);
      const env = await fetch(`http://127.0.0.1:${sandbox.port}/env?key=GREETING_TARGET`);
      expect(await env.text()).toBe('contract');
      const echo = await fetch(`http://127.0.0.1:${sandbox.port}/echo`, { method: 'POST', body: 'ping' });
      expect(echo.status).toBe(201);
      expect(echo.headers.get('x-echo')).toBe('yes');
      expect(await echo.text()).toBe('ping');
      const ctx = (await (
        await fetch(`http://127.0.0.1:${sandbox.port}/ctx`, {
          headers: { traceparent: '00-' + 'a'.repeat(32) + '-' + 'b'.repeat(16) + '-01' },
        })
      ).json()) as {
        instanceId: string;
        functionName: string;
        traceHeaders: Record<string, string>;
        initialisedAt: number;
      };
      expect(ctx.instanceId).toBe(sandbox.instanceId);
      expect(ctx.functionName).toBe('sandbox-test');
      expect(ctx.traceHeaders.traceparent).toContain('a'.repeat(32));
      expect(ctx.initialisedAt).toBeGreaterThan(0);
      await sandbox.stop(5000);
      const exit = await sandbox.exited;
      expect(exit.reason).toBe('stopped');
      expect(exit.signal).toBeNull();
    });

    it('sees the allow-listed host env, hivelab.dev/pass-env, its spec env and Knative variables only', async () => {
      process.env[HOST_ONLY_VARIABLE] = 'must not leak';
      process.env[PASSED_VARIABLE] = 'passed';
      const spec = testSpec({ sandbox: kind, coldStart, passEnv: [PASSED_VARIABLE] });
      const { sandbox } = await launch(spec);
      const env = (await (await fetch(`http://127.0.0.1:${sandbox.port}/env-all`)).json()) as Record<
        string,
        string
      >;
      expect(env[HOST_ONLY_VARIABLE]).toBeUndefined();
      expect(env[PASSED_VARIABLE]).toBe('passed');
      expect(env.GREETING_TARGET).toBe('contract');
      const base = baseEnv();
      expect(env.PATH).toBe(base.path);
      expect(env).toMatchObject({
        // In a pod network the server listens on the pod's containerPort; else on the host port.
        PORT: String(sandbox.pod?.containerPort ?? sandbox.port),
        K_SERVICE: 'sandbox-test',
        K_CONFIGURATION: 'sandbox-test',
        HIVELAB_FUNCTION_NAME: 'sandbox-test',
        HIVELAB_INSTANCE_ID: sandbox.instanceId,
      });
      expect(env.K_REVISION).toMatch(/^sandbox-test-\d{5}$/);
      const expected = new Set([
        ...base.names,
        ...HIVELAB_HOST_VARIABLES,
        PASSED_VARIABLE,
        'GREETING_TARGET',
        'PORT',
        'HIVELAB_FUNCTION_NAME',
        'HIVELAB_INSTANCE_ID',
        'HIVELAB_PROTOCOL',
        'K_SERVICE',
        'K_CONFIGURATION',
        'K_REVISION',
      ]);
      expect(Object.keys(env).filter((name) => !expected.has(name))).toEqual([]);
    });

    it('serves gRPC helloworld over h2c', async () => {
      const { sandbox, phases } = await launch(testSpec({ sandbox: kind, coldStart, protocol: 'h2c' }));
      expectSanePhases(phases);
      const reply = await sayHello(sandbox.port, 'vhive');
      expect(reply).toBe(`Hello, vhive from ${sandbox.instanceId}`);
    });
  });

  describe(`${kind} sandbox output`, () => {
    it('hands stdout and stderr to onOutput as they come, under the container name, then the end', async () => {
      const chunks: string[] = [];
      const ends: SandboxExit[] = [];
      const { sandbox } = await launch(testSpec({ sandbox: kind }), {
        onOutput: (spec, instanceId) => {
          expect(spec.name).toBe('sandbox-test');
          expect(instanceId).toMatch(new RegExp(`^${kind}-`));
          return {
            write: (container, stream, chunk) => chunks.push(`${container} ${stream} ${chunk.toString()}`),
            end: (exit) => ends.push(exit),
          };
        },
      });
      await fetch(`http://127.0.0.1:${sandbox.port}/log?out=to-stdout&err=to-stderr`);
      await eventually(() => {
        const all = chunks.join('');
        return (
          all.includes('user-container stdout to-stdout') && all.includes('user-container stderr to-stderr')
        );
      });
      expect(ends).toEqual([]);
      await sandbox.stop(5000);
      await eventually(() => ends.length === 1);
      expect(ends[0]?.reason).toBe('stopped');
    });
  });

  describe(`${kind} sandbox faults and accounting`, () => {
    it('a crash ends as crashed with the last error line', async () => {
      const { sandbox } = await launch(testSpec({ sandbox: kind }));
      await fetch(`http://127.0.0.1:${sandbox.port}/crash`);
      const exit = await sandbox.exited;
      expect(exit.reason).toBe('crashed');
      expect(exit.message).toContain('boom from the test function');
    });

    it('going over the memory limit ends as oom, saying so', async () => {
      const { sandbox } = await launch(testSpec({ sandbox: kind, memoryLimitBytes: 128 * 1024 * 1024 }));
      await fetch(`http://127.0.0.1:${sandbox.port}/grow`).catch(() => undefined);
      const exit = await sandbox.exited;
      expect(exit.reason).toBe('oom');
      expect(exit.message).toMatch(/memory limit of 128 MB/);
    });

    it('usage() grows with CPU work', async () => {
      const { sandbox } = await launch(testSpec({ sandbox: kind }));
      const before = sandbox.usage();
      await fetch(`http://127.0.0.1:${sandbox.port}/cpu?ms=300`);
      const after = sandbox.usage();
      // 300 ms of busy loop; on a shared 2-core box the thread may get less, never none.
      expect(after.cpuUs - before.cpuUs).toBeGreaterThan(50_000);
      expect(after.rssBytes).toBeGreaterThan(0);
      expect(after.peakRssBytes).toBeGreaterThanOrEqual(after.rssBytes);
    });
  });
}
