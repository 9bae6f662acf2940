// End to end on the real platform (gateway, activator, process sandboxes): the invoker's
// gRPC path through the gateway's h2c port, and a replay deploying trace-func. Instances
// run the built JavaScript: `npx tsc -p tsconfig.json` first, as `npm test` does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinFunctionSpec, startPlatform, type RunningPlatform } from '../platform/index.js';
import { invoke } from './invoke.js';
import { platformDeployer } from './replay/platform-deployer.js';
import { planReplay } from './replay/replay-plan.js';
import { summarizeReplay, actualWork } from './replay/replay-records.js';
import { runReplay } from './replay/replay-run.js';

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startPlatform({ port: 0 });
});
afterAll(async () => {
  await platform.close();
});

describe('invoker against the hivelab platform', () => {
  it('invokes helloworld over gRPC through the gateway, by :authority, and reads the gateway metadata', async () => {
    const status = await platform.deploy(builtinFunctionSpec('builtin:helloworld', 'helloworld-0'));
    const gateway = new URL(platform.url);
    const result = await invoke({
      endpoints: [{ hostname: new URL(status.url).hostname, eventing: false }],
      rps: 10,
      durationS: 1,
      port: Number(gateway.port),
      timeoutMs: 10_000,
    });
    const failures = result.records.filter((r) => !r.outcome.ok).map((r) => r.outcome.errorMessage);
    expect(failures).toEqual([]);
    expect(result.summary.completed).toBe(10);
    for (const r of result.records) {
      expect(r.outcome.cold).toBeTypeOf('boolean');
      expect(r.outcome.instanceId).toBeTruthy();
      expect(r.outcome.traceId).toMatch(/^[0-9a-f]{16,32}$/);
    }
  }, 60_000);

  it('replays a small Azure trace: deploys trace-func per function and gets the requested work done', async () => {
    const trace = {
      invocations: [
        { hashOwner: 'o', hashApp: 'a', hashFunction: 'f1', trigger: 'http', perMinute: [4] },
        { hashOwner: 'o', hashApp: 'a', hashFunction: 'f2', trigger: 'http', perMinute: [2] },
      ],
      durations: ['f1', 'f2'].map((f) => ({
        hashOwner: 'o',
        hashApp: 'a',
        hashFunction: f,
        averageMs: 20,
        percentilesMs: [20, 20, 20, 20, 20, 20, 20],
      })),
      memory: ['f1', 'f2'].map((f) => ({
        hashOwner: 'o',
        hashApp: 'a',
        hashFunction: f,
        averageMb: 8,
        percentilesMb: [8, 8, 8, 8, 8, 8, 8, 8],
      })),
    };
    const plan = planReplay(trace, { durationMin: 1, seed: 1, namePrefix: 'replay-e2e' });
    const result = await runReplay({
      plan,
      gatewayUrl: platform.url,
      deploy: platformDeployer(platform.url),
      timeoutMs: 30_000,
      speedup: 20,
    });
    const failures = result.records.filter((r) => !r.outcome.ok).map((r) => r.outcome.errorMessage);
    expect(failures).toEqual([]);
    expect(platform.list().map((f) => f.name)).toEqual(
      expect.arrayContaining(['replay-e2e-0', 'replay-e2e-1']),
    );
    for (const r of result.records) {
      const work = actualWork(r.outcome.body);
      expect(work.durationMs).toBeGreaterThanOrEqual(20);
      expect(work.memoryMb).toBe(8);
    }
    expect(summarizeReplay(plan, result.records).measured).toMatchObject({ invocations: 6, ok: 6 });
  }, 60_000);
});
