import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../package-root.js';
import { createPacer, type PacerKind } from './pacer.js';

const wakeTime = (pacer: Awaited<ReturnType<typeof createPacer>>, atMs: number): Promise<number> =>
  new Promise((resolve) => pacer.wakeAt(atMs, () => resolve(performance.now())));

describe.each<PacerKind>(['thread', 'spin'])('the %s pacer', (kind) => {
  it('wakes once, never before the due time, for due times near and far', async () => {
    const pacer = await createPacer({ kind });
    try {
      for (const aheadMs of [0.05, 0.3, 2, 15]) {
        const due = performance.now() + aheadMs;
        expect(await wakeTime(pacer, due)).toBeGreaterThanOrEqual(due);
      }
      // A due time already past wakes at once.
      const past = performance.now() - 5;
      expect(await wakeTime(pacer, past)).toBeGreaterThanOrEqual(past);
    } finally {
      pacer.close();
    }
  });

  it('a second wakeAt replaces the first: only the second callback runs', async () => {
    const pacer = await createPacer({ kind });
    try {
      const calls: string[] = [];
      pacer.wakeAt(performance.now() + 1, () => calls.push('first'));
      const second = new Promise<void>((resolve) =>
        pacer.wakeAt(performance.now() + 3, () => {
          calls.push('second');
          resolve();
        }),
      );
      await second;
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(calls).toEqual(['second']);
    } finally {
      pacer.close();
    }
  });

  it('close() drops a pending wake', async () => {
    const pacer = await createPacer({ kind });
    let woke = false;
    pacer.wakeAt(performance.now() + 2, () => (woke = true));
    pacer.close();
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(woke).toBe(false);
  });
});

it('the thread pacer keeps the process alive only while a wake is pending, like a timer', () => {
  // Never closed: the first wake must still come, and the process must exit after it.
  const script = `
    import { createPacer } from ${JSON.stringify(distPath('invoker', 'pacing', 'pacer.js'))};
    const pacer = await createPacer({ kind: 'thread' });
    await new Promise((resolve) => pacer.wakeAt(performance.now() + 1, resolve));
    console.log('woke');
    await new Promise((resolve) => pacer.wakeAt(performance.now() + 20, resolve));
    console.log('done');
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(result.error).toBeUndefined();
  expect(result.stdout.trim().split('\n')).toEqual(['woke', 'done']);
  expect(result.status).toBe(0);
});
