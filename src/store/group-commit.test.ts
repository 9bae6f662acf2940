import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('coalesces concurrent adds into one commit and resolves each after it', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit<number>((items) => {
      commits.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => group.add(n)));
    expect(commits).toEqual([[1, 2, 3]]);
  });

  it('queues adds made during a commit for the next one', async () => {
    const commits: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number>(async (items) => {
      commits.push(items);
      if (commits.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = group.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = Promise.all([group.add(2), group.add(3)]);
    release();
    await Promise.all([first, second]);
    expect(commits).toEqual([[1], [2, 3]]);
  });

  it('rejects every add of a failed commit and keeps working afterwards', async () => {
    let fail = true;
    const group = new GroupCommit<number>(() => {
      if (fail) throw new Error('disk full');
    });
    const results = await Promise.allSettled([group.add(1), group.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(group.add(3)).resolves.toBeUndefined();
  });

  it('shares a burst out over concurrent commits, each resolving after its own', async () => {
    const running: number[][] = [];
    let maxRunning = 0;
    const releases: (() => void)[] = [];
    const group = new GroupCommit<number>(
      async (items) => {
        running.push(items);
        maxRunning = Math.max(maxRunning, running.length);
        await new Promise<void>((resolve) => releases.push(resolve));
        running.splice(running.indexOf(items), 1);
      },
      { concurrency: 2 },
    );
    const settled: number[] = [];
    const adds = [1, 2, 3, 4, 5].map((n) => group.add(n).then(() => settled.push(n)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    // The second commit finishes first: its adds resolve, the first's do not yet.
    releases[1]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([4, 5]);
    // A slot is free again: an add made now starts a commit beside the running one.
    const late = group.add(6).then(() => settled.push(6));
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toEqual([[1, 2, 3], [6]]);
    releases[0]!();
    releases[2]!();
    await Promise.all([...adds, late]);
    expect(settled.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxRunning).toBe(2);
    await group.drain();
  });
});
