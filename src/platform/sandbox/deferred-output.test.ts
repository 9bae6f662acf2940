import { describe, expect, it } from 'vitest';
import { deferredOutput } from './deferred-output.js';
import type { InstanceOutput, SandboxExit } from './sandbox.js';

const STOPPED: SandboxExit = { reason: 'stopped', code: 0, signal: null, message: 'stopped' };

/** An output that records what reached it, and how often it was opened. */
function recorder(): { open: () => InstanceOutput; opens: () => number; seen: string[] } {
  let opens = 0;
  const seen: string[] = [];
  return {
    opens: () => opens,
    seen,
    open: () => {
      opens++;
      return {
        write: (container, stream, chunk) => seen.push(`${container}/${stream}:${chunk.toString()}`),
        end: (exit) => seen.push(`end:${exit.reason}`),
      };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('deferredOutput', () => {
  it('is set up only after its event settled and the settle time passed', async () => {
    const r = recorder();
    let ready!: () => void;
    deferredOutput(r.open).openAfter(new Promise<void>((resolve) => (ready = resolve)), 5);
    await sleep(20);
    expect(r.opens()).toBe(0);
    ready();
    await sleep(1);
    expect(r.opens()).toBe(0);
    await sleep(30);
    expect(r.opens()).toBe(1);
  });

  it('is set up after a failed event too (a launch that never got ready)', async () => {
    const r = recorder();
    deferredOutput(r.open).openAfter(Promise.reject(new Error('no')), 1);
    await sleep(20);
    expect(r.opens()).toBe(1);
  });

  it('sets up at once for output that comes first, and never a second time', async () => {
    const r = recorder();
    const out = deferredOutput(r.open);
    out.openAfter(Promise.resolve(), 1);
    out.write('user-container', 'stdout', Buffer.from('hello'));
    out.write('user-container', 'stderr', Buffer.from('oops'));
    await sleep(20);
    out.end(STOPPED);
    expect(r.opens()).toBe(1);
    expect(r.seen).toEqual(['user-container/stdout:hello', 'user-container/stderr:oops', 'end:stopped']);
  });

  it('sets up for an end that comes before any output', () => {
    const r = recorder();
    deferredOutput(r.open).end(STOPPED);
    expect(r.opens()).toBe(1);
    expect(r.seen).toEqual(['end:stopped']);
  });

  it('passes nothing on when there are no logs to keep', () => {
    const out = deferredOutput(() => undefined);
    expect(() => out.write('c', 'stdout', Buffer.from('x'))).not.toThrow();
    expect(() => out.end(STOPPED)).not.toThrow();
  });
});
