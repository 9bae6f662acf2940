import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from './deadline-timer.js';

/** A timer on a hand-moved clock whose sweep the test calls itself: no sleeping. */
function makeTimer(resolutionMs = 10) {
  let nowMs = 1000;
  let running = 0;
  const timer = new DeadlineTimer({
    resolutionMs,
    now: () => nowMs,
    schedule: () => {
      running++;
      return () => running--;
    },
  });
  return {
    timer,
    advance: (ms: number): void => {
      nowMs += ms;
      timer.sweep();
    },
    running: () => running,
  };
}

describe('DeadlineTimer', () => {
  it('fires a deadline once it is due, within one resolution, and only once', () => {
    const { timer, advance } = makeTimer();
    const fired: number[] = [];
    timer.add(25, () => fired.push(1));
    advance(20);
    expect(fired).toEqual([]);
    advance(10); // 30 ms: due at 25, bucket edge at 30
    expect(fired).toEqual([1]);
    advance(100);
    expect(fired).toEqual([1]);
    expect(timer.size).toBe(0);
  });

  it('never fires a cancelled deadline, and cancel after firing is a no-op', () => {
    const { timer, advance } = makeTimer();
    const fired: string[] = [];
    const a = timer.add(10, () => fired.push('a'));
    const b = timer.add(10, () => fired.push('b'));
    a.cancel();
    a.cancel();
    expect(timer.size).toBe(1);
    advance(20);
    expect(fired).toEqual(['b']);
    b.cancel();
    expect(timer.size).toBe(0);
  });

  it('keeps the same callback armed twice as two deadlines', () => {
    const { timer, advance } = makeTimer();
    let count = 0;
    const onExpire = (): void => {
      count++;
    };
    timer.add(10, onExpire);
    timer.add(10, onExpire);
    advance(20);
    expect(count).toBe(2);
  });

  it('fires in due order across buckets, even after a long gap between sweeps', () => {
    const { timer, advance } = makeTimer();
    const fired: number[] = [];
    timer.add(300_000, () => fired.push(3));
    timer.add(50, () => fired.push(1));
    timer.add(1000, () => fired.push(2));
    advance(3_600_000);
    expect(fired).toEqual([1, 2, 3]);
  });

  it('stops its interval after idle sweeps and restarts it on the next deadline', () => {
    const { timer, advance, running } = makeTimer();
    timer.add(10, () => undefined);
    expect(running()).toBe(1);
    for (let i = 0; i < 200; i++) advance(10);
    expect(running()).toBe(0);
    let fired = false;
    timer.add(10, () => {
      fired = true;
    });
    expect(running()).toBe(1);
    advance(20);
    expect(fired).toBe(true);
  });
});
