import { describe, expect, it } from 'vitest';
import { deferredOutput } from './deferred-output.js';
import type { InstanceOutput, SandboxExit } from './sandbox.js';

const STOPPED: SandboxExit = { reason: 'stopped', code: 0, signal: null, message: 'stopped' };

/** An output that records what reached it, and a count of how often it was opened. */
function recorder(): { open: () => InstanceOutput; opens: number; seen: string[] } {
  const state = { opens: 0, seen: [] as string[] };
  return {
    get opens() {
      return state.opens;
    },
    seen: state.seen,
    open: () => {
      state.opens++;
      return {
        write: (container, stream, chunk) => state.seen.push(`${container}/${stream}:${chunk.toString()}`),
        end: (exit) => state.seen.push(`end:${exit.reason}`),
      };
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('deferredOutput', () => {
  it('is not set up during the launch, then is once the delay passed', async () => {
    const r = recorder();
    deferredOutput(r.open, 5);
    expect(r.opens).toBe(0);
    await sleep(30);
    expect(r.opens).toBe(1);
  });

  it('sets up at once for output that comes first, and never a second time', () => {
    const r = recorder();
    const out = deferredOutput(r.open, 1000);
    out.write('user-container', 'stdout', Buffer.from('hello'));
    out.write('user-container', 'stderr', Buffer.from('oops'));
    out.end(STOPPED);
    expect(r.opens).toBe(1);
    expect(r.seen).toEqual(['user-container/stdout:hello', 'user-container/stderr:oops', 'end:stopped']);
  });

  it('sets up for an end that comes before any output (a launch that failed at once)', () => {
    const r = recorder();
    deferredOutput(r.open, 1000).end(STOPPED);
    expect(r.opens).toBe(1);
    expect(r.seen).toEqual(['end:stopped']);
  });

  it('passes nothing on when there are no logs to keep', async () => {
    const out = deferredOutput(() => undefined, 1);
    await sleep(10);
    expect(() => out.write('c', 'stdout', Buffer.from('x'))).not.toThrow();
    expect(() => out.end(STOPPED)).not.toThrow();
  });
});
