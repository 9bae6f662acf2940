import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from './index.js';
import type { RunningPlatform } from './index.js';
import { testSpec, waitFor } from './testing/platform-kit.js';

/**
 * A researcher's policy with a bug: its first two decisions throw "first bug", every later
 * one "second bug". It counts its calls on globalThis so the test can see the ticks go by.
 */
const THROWING_POLICY = `
export default {
  name: 'throwing',
  initialState: () => ({}),
  decide() {
    globalThis.__throwingPolicyCalls = (globalThis.__throwingPolicyCalls ?? 0) + 1;
    throw new Error(globalThis.__throwingPolicyCalls <= 2 ? 'first bug' : 'second bug');
  },
};
`;

const calls = (): number => (globalThis as { __throwingPolicyCalls?: number }).__throwingPolicyCalls ?? 0;

let dir: string;
let platform: RunningPlatform;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-policy-'));
  await writeFile(path.join(dir, 'throwing-policy.mjs'), THROWING_POLICY);
  platform = await startPlatform({ port: 0, log: (line) => lines.push(line) });
});
afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a scaling policy that throws', () => {
  it('is logged once per distinct message, and the desired count stays as it was', async () => {
    await platform.deploy(
      testSpec('buggy-policy', {
        autoscaling: { policy: path.join(dir, 'throwing-policy.mjs'), tickIntervalMs: 50, minScale: 1 },
      }),
    );
    await waitFor('six policy decisions', () => calls() >= 6);
    // The log also carries the sandbox driver's lines (its network, its cgroups): only the policy's count here.
    const policyLines = lines.filter((line) => line.includes('scaling policy'));
    expect(policyLines).toHaveLength(2);
    expect(policyLines[0]).toMatch(
      /scaling policy of default\/buggy-policy .*: first bug; keeping 1 instances/,
    );
    expect(policyLines[1]).toMatch(/: second bug; keeping 1 instances/);
    expect(platform.list().find((f) => f.name === 'buggy-policy')?.desiredInstances).toBe(1);
  });
});
