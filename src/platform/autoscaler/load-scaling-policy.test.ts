import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import type { AutoscalingSettings } from '../function-spec/function-spec.js';
import { kpaPolicy } from './kpa-policy.js';
import { loadScalingPolicy } from './load-scaling-policy.js';
import { defaultAutoscaling } from '../function-spec/default-autoscaling.js';

const settings: AutoscalingSettings = {
  ...defaultAutoscaling(0),
  policy: 'x',
  target: 10,
};

const input = (concurrency: number) => ({
  nowMs: 10_000,
  settings,
  readyInstances: 1,
  currentDesired: 1,
  samples: [{ timeMs: 10_000, concurrency, requests: 0 }],
});

/** The example in index.ts's TSDoc, extracted verbatim so the documentation cannot rot. */
function docExample(): string {
  const index = readFileSync(fileURLToPath(new URL('./index.ts', import.meta.url)), 'utf8');
  const block = /```js\n([\s\S]*?)```/.exec(index)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/^ \* ?/, ''))
    .join('\n');
}

let dir: string;
const modules: Record<string, string> = {
  'doc-example.mjs': docExample(),
  'peak.mjs': `export default {
    name: 'peak',
    initialState: () => ({ ticks: 0 }),
    decide(input, state) {
      const peak = Math.max(0, ...input.samples.map((s) => s.concurrency));
      const desired = Math.ceil(peak / input.settings.target);
      return { desired, state: { ticks: state.ticks + 1 }, panic: false, reason: 'peak ' + peak };
    },
  };`,
  'no-decide.mjs': `export default { name: 'broken', initialState: () => ({}) };`,
  'named-only.mjs': `export const policy = { name: 'p', initialState() {}, decide() {} };`,
  'bad-desired.mjs': `export default {
    name: 'negative',
    initialState: () => null,
    decide: (input, state) => ({ desired: -1, state, panic: false, reason: 'oops' }),
  };`,
  'throws.mjs': `throw new Error('boom at import');`,
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hivelab-policy-'));
  for (const [name, text] of Object.entries(modules)) await writeFile(path.join(dir, name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadScalingPolicy', () => {
  it('returns the built-in KPA for "kpa"', async () => {
    expect(await loadScalingPolicy('kpa')).toBe(kpaPolicy);
  });

  it('loads a module whose default export is a policy, and it decides', async () => {
    const policy = await loadScalingPolicy(path.join(dir, 'peak.mjs'));
    expect(policy.name).toBe('peak');
    const state = policy.initialState(settings, 0);
    const decision = policy.decide(input(35), state);
    expect(decision).toEqual({ desired: 4, state: { ticks: 1 }, panic: false, reason: 'peak 35' });
  });

  it('loads and runs the example from the module documentation', async () => {
    const policy = await loadScalingPolicy(path.join(dir, 'doc-example.mjs'));
    expect(policy.name).toBe('peak-10s');
    const samples = [
      { timeMs: 0, concurrency: 100, requests: 0 }, // 10 s old at now = 10 s: ignored
      { timeMs: 9000, concurrency: 35, requests: 0 },
      { timeMs: 10_000, concurrency: 12, requests: 0 },
    ];
    const decision = policy.decide({ ...input(0), samples }, policy.initialState(settings, 0));
    expect(decision).toMatchObject({ desired: 4, panic: false, reason: 'peak 35 → 4' });
  });

  it.each([
    ['no-decide.mjs', /not a ScalingPolicy: decide must be a function/],
    ['named-only.mjs', /no usable default export: expected an object, got undefined/],
    ['missing.mjs', /error while loading autoscaler policy .*missing\.mjs/],
    ['throws.mjs', /error while loading autoscaler policy .*boom at import/],
  ])('refuses %s with a clear UserError', async (file, message) => {
    const error: unknown = await loadScalingPolicy(path.join(dir, file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(message);
    expect((error as UserError).hint).toMatch(/hivelab\.dev\/autoscaler/);
  });

  it.each(['./my-policy.js', 'my-policy', ''])('refuses the non-absolute spec "%s"', async (spec) => {
    await expect(loadScalingPolicy(spec)).rejects.toThrow(/neither "kpa" nor an absolute module path/);
  });

  it('checks every decision of a loaded policy', async () => {
    const policy = await loadScalingPolicy(path.join(dir, 'bad-desired.mjs'));
    expect(() => policy.decide(input(1), policy.initialState(settings, 0))).toThrow(
      /policy "negative" returned desired=-1; expected a non-negative integer/,
    );
  });

  it('loads the shipped example policy from its path', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const policy = await loadScalingPolicy(path.join(here, 'examples', 'fixed-policy.ts'));
    expect(policy.name).toBe('fixed');
    expect(policy.decide(input(500), policy.initialState({ ...settings, initialScale: 2 }, 0)).desired).toBe(
      2,
    );
  });
});
