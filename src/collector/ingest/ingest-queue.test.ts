import { describe, expect, it } from 'vitest';
import type { Span } from '../../spans/index.js';
import { makeSpan } from '../../spans/testing/index.js';
import { GroupCommit } from '../../store/index.js';
import { IngestQueue } from './ingest-queue.js';

const spans = (n: number, from = 1): Span[] =>
  Array.from({ length: n }, (_, i) =>
    makeSpan({ traceId: '0000000000000001', id: (from + i).toString(16).padStart(16, '0') }),
  );

/** An append that holds every call until released, recording what it got. */
function heldAppend(): {
  append: (s: readonly Span[]) => Promise<void>;
  calls: (readonly Span[])[];
  releaseAll: () => void;
} {
  const calls: (readonly Span[])[] = [];
  const waiting: (() => void)[] = [];
  return {
    calls,
    append: (s) => {
      calls.push(s);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    releaseAll: () => waiting.splice(0).forEach((r) => r()),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('IngestQueue', () => {
  it('acknowledges only after the append resolved, and refuses when full', async () => {
    const store = heldAppend();
    const queue = new IngestQueue({ maxQueuedSpans: 10, append: store.append });
    let acked = false;
    const first = queue.submit(spans(6))!.then(() => (acked = true));
    expect(queue.queuedSpans).toBe(6);
    expect(queue.submit(spans(5, 100))).toBeUndefined();
    const second = queue.submit(spans(4, 200));
    expect(second).toBeDefined();
    expect(queue.queuedSpans).toBe(10);
    await tick();
    expect(acked).toBe(false);
    // Each admitted batch goes to the store as it is: the store's group commit merges them.
    expect(store.calls.map((c) => c.length)).toEqual([6, 4]);
    store.releaseAll();
    await first;
    await second;
    expect(acked).toBe(true);
    expect(queue.queuedSpans).toBe(0);
  });

  it('admits a batch larger than the capacity into an empty queue', async () => {
    const queue = new IngestQueue({ maxQueuedSpans: 2, append: () => Promise.resolve() });
    await queue.submit(spans(5));
    expect(queue.queuedSpans).toBe(0);
  });

  it('hands batches to the store while an append is in flight, and drains', async () => {
    const store = heldAppend();
    const queue = new IngestQueue({ maxQueuedSpans: 100, append: store.append });
    const a = queue.submit(spans(1));
    await tick();
    const b = queue.submit(spans(2, 10));
    const c = queue.submit(spans(3, 20));
    // No second layer of batching: every batch reaches the store at once.
    expect(store.calls.map((x) => x.length)).toEqual([1, 2, 3]);
    expect(queue.queuedSpans).toBe(6);
    let idle = false;
    const drained = queue.whenIdle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    store.releaseAll();
    await Promise.all([a, b, c, drained]);
    expect(idle).toBe(true);
    expect(queue.queuedSpans).toBe(0);
  });

  it('coalesces batches of one turn into one commit through the store', async () => {
    const commits: number[] = [];
    const group = new GroupCommit<readonly Span[]>((batches) => {
      commits.push(batches.reduce((n, b) => n + b.length, 0));
    });
    const queue = new IngestQueue({ maxQueuedSpans: 100, append: (s) => group.add(s) });
    await Promise.all([queue.submit(spans(2)), queue.submit(spans(3, 10)), queue.submit(spans(4, 20))]);
    expect(commits).toEqual([9]);
  });

  it('rejects every request of a failed append and frees the room', async () => {
    const queue = new IngestQueue({
      maxQueuedSpans: 10,
      append: () => Promise.reject(new Error('disk full')),
    });
    await expect(queue.submit(spans(3))).rejects.toThrow('disk full');
    expect(queue.queuedSpans).toBe(0);
  });
});
