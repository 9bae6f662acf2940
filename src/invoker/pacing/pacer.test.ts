import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distPath } from '../../package-root.js';
import { createPacer, type PacerKind } from './index.js';

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<PacerKind>(['thread', 'spin'])('the %s pacer', (kind) => {
  it('wakes for each due time, never before it, near and far, past ones at once', async () => {
    const pacer = await createPacer({ kind });
    const now = performance.now();
    const due = Float64Array.from([now - 5, now + 0.05, now + 0.3, now + 2, now + 15]);
    const woke: number[] = [];
    await new Promise<void>((done) => {
      pacer.pace(due, () => {
        const at = performance.now();
        // Like the runner: handle everything due so far, then say how far it got.
        let next = woke.length;
        while (next < due.length && due[next]! <= at) {
          woke.push(at);
          next++;
        }
        pacer.advance(next);
        if (next === due.length) done();
      });
    });
    pacer.close();
    for (const [i, at] of woke.entries()) expect(at).toBeGreaterThanOrEqual(due[i]!);
  });

  it('advance() skips the wakes for sends already made', async () => {
    const pacer = await createPacer({ kind });
    const now = performance.now();
    const due = Float64Array.from([now + 3, now + 4, now + 5, now + 6]);
    let wakes = 0;
    pacer.advance(2); // the first two were handled some other way
    pacer.pace(due, () => wakes++);
    await settle(30);
    pacer.close();
    expect(wakes).toBe(2);
  });

  it('close() drops the pending wakes', async () => {
    const pacer = await createPacer({ kind });
    let wakes = 0;
    pacer.pace(Float64Array.from([performance.now() + 3, performance.now() + 6]), () => wakes++);
    pacer.close();
    await settle(20);
    expect(wakes).toBe(0);
  });
});

it('the thread pacer keeps the process alive only while wakes are pending, like a timer', () => {
  // Never closed nor advanced: both wakes must still come, and the process exit after them.
  const script = `
    import { createPacer } from ${JSON.stringify(distPath('invoker', 'pacing', 'index.js'))};
    const pacer = await createPacer({ kind: 'thread' });
    const now = performance.now();
    pacer.pace(Float64Array.from([now + 5, now + 30]), () => console.log('woke'));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(result.error).toBeUndefined();
  expect(result.stdout.trim().split('\n')).toEqual(['woke', 'woke']);
  expect(result.status).toBe(0);
});
