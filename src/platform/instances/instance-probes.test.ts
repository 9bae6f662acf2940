import { describe, expect, it } from 'vitest';
import { ProbeVerdicts, aggressivePoll, readinessTiming } from './instance-probes.js';

describe('ProbeVerdicts', () => {
  it('flips up after successThreshold passes in a row and down after failureThreshold failures in a row', () => {
    const v = new ProbeVerdicts(2, 3, false);
    expect([true, false, true].map((r) => v.record(r))).toEqual([undefined, undefined, undefined]);
    expect(v.record(true)).toBe(true);
    expect([false, false, true, false, false].map((r) => v.record(r))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(v.record(false)).toBe(false);
    expect(v.record(false)).toBeUndefined();
  });
});

describe('readiness timing', () => {
  const probe = {
    handler: { kind: 'tcpSocket' as const },
    initialDelaySeconds: 2,
    periodSeconds: 0,
    timeoutSeconds: 0,
    failureThreshold: 0,
    successThreshold: 1,
  };
  it("is Knative's aggressive probing at start, the queue-proxy's 1 s probe after, with periodSeconds 0", () => {
    expect(readinessTiming(probe, 'starting')).toMatchObject({
      initialDelayMs: 2000,
      intervalMs: 50,
      aggressive: true,
    });
    expect(readinessTiming(probe, 'ready')).toMatchObject({
      intervalMs: 1000,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(
      readinessTiming({ ...probe, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 2 }, 'ready'),
    ).toMatchObject({
      intervalMs: 5000,
      failureThreshold: 2,
      aggressive: false,
    });
  });

  it('an aggressive poll retries until it passes, or gives the last reason after its window', async () => {
    let calls = 0;
    await aggressivePoll((timeoutMs) => {
      expect(timeoutMs).toBe(100);
      return ++calls < 3 ? Promise.reject(new Error(`no ${calls}`)) : Promise.resolve();
    });
    expect(calls).toBe(3);
    await expect(aggressivePoll(() => Promise.reject(new Error('refused')), 120)).rejects.toThrow('refused');
  });
});
