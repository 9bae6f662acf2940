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
});
