import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { Instance, pickInstance, pickVictims } from './instance.js';
import type { InstanceState } from './instance.js';

function instance(id: string, state: InstanceState, inFlight: number): Instance {
  const sandbox = { instanceId: id, port: 1 } as unknown as Sandbox; // only the id is read
  const i = new Instance(sandbox);
  i.state = state;
  i.inFlight = inFlight;
  return i;
}

describe('pickInstance', () => {
  it('takes the least-loaded ready instance', () => {
    const all = [instance('a', 'ready', 3), instance('b', 'ready', 1), instance('c', 'starting', 0)];
    expect(pickInstance(all, 0)?.id).toBe('b');
  });

  it('respects containerConcurrency and skips draining instances', () => {
    const all = [instance('a', 'ready', 1), instance('b', 'draining', 0), instance('c', 'ready', 1)];
    expect(pickInstance(all, 1)).toBeUndefined();
    expect(pickInstance(all, 2)?.id).toBe('a');
  });
});

describe('pickVictims', () => {
  it('stops starting instances first, then the least-loaded ready ones', () => {
    const all = [
      instance('busy', 'ready', 5),
      instance('idle', 'ready', 0),
      instance('boot', 'starting', 0),
      instance('old', 'draining', 0),
    ];
    expect(pickVictims(all, 2).map((i) => i.id)).toEqual(['boot']);
    expect(pickVictims(all, 1).map((i) => i.id)).toEqual(['boot', 'idle']);
    expect(pickVictims(all, 0).map((i) => i.id)).toEqual(['boot', 'idle', 'busy']);
    expect(pickVictims(all, 3)).toEqual([]);
  });
});
