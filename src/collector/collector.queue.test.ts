/**
 * The bounded ingest queue end to end: a store whose `append` the test holds back fills
 * the queue; further batches are refused with 503 (Zipkin) or 429 (OTLP) and
 * `Retry-After`, counted as dropped in /metrics; nothing is acknowledged before it is durable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../spans/index.js';
import { MemoryTraceStore } from '../store/index.js';
import type { RunningCollector } from './index.js';
import { startCollector } from './index.js';
import { makeSpan } from '../spans/testing/index.js';

/** The memory store, with appends held until `release()`. */
class HeldStore extends MemoryTraceStore {
  private held: (() => void)[] = [];
  hold = true;

  override append(spans: readonly Span[]): Promise<void> {
    if (!this.hold) return super.append(spans);
    return new Promise<void>((resolve, reject) =>
      this.held.push(() => void super.append(spans).then(resolve, reject)),
    );
  }

  release(): void {
    this.hold = false;
    for (const run of this.held.splice(0)) run();
  }

  get heldAppends(): number {
    return this.held.length;
  }
}

let store: HeldStore;
let collector: RunningCollector;

beforeAll(async () => {
  store = new HeldStore();
  collector = await startCollector({ port: 0, otlpPort: 0, store, maxQueuedSpans: 10, log: () => undefined });
});
afterAll(() => collector?.close());

const postZipkin = (spans: Span[]): Promise<Response> =>
  fetch(`${collector.url}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });

const spans = (n: number): Span[] => Array.from({ length: n }, () => makeSpan());

describe('ingest queue full', () => {
  it('refuses with 503/429 and Retry-After, counts the refusal, acknowledges after durability', async () => {
    let firstAcked = false;
    const first = postZipkin(spans(8)).then((res) => {
      firstAcked = true;
      return res;
    });
    for (let i = 0; i < 200 && store.heldAppends === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(collector.metrics().queuedSpans).toBe(8);

    const refused = await postZipkin(spans(3));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toMatch(/ingest queue is full \(8 of 10 spans/);

    const otlp = await fetch(`${collector.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [
              {
                spans: ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa3'].map((spanId) => ({
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId,
                  name: 'op',
                  startTimeUnixNano: String(BigInt(Date.now() - 10) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                })),
              },
            ],
          },
        ],
      }),
    });
    expect(otlp.status).toBe(429);
    expect(otlp.headers.get('retry-after')).toBe('1');

    // Nothing was acknowledged while the store held the append.
    expect(firstAcked).toBe(false);
    expect((await store.stats()).spanCount).toBe(0);

    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toMatch(/^hivelab_spans_dropped_total\{transport="zipkin",encoding="json"\} 3$/m);
    expect(metrics).toMatch(/^hivelab_spans_dropped_total\{transport="otlp",encoding="json"\} 3$/m);
    expect(metrics).toMatch(/^hivelab_ingest_queue_spans 8$/m);

    store.release();
    expect((await first).status).toBe(202);
    expect((await store.stats()).spanCount).toBe(8);
    expect(collector.metrics().queuedSpans).toBe(0);
    expect(collector.metrics().total).toMatchObject({ accepted: 8, dropped: 6, received: 14 });
    // Room again: the next batch goes through.
    expect((await postZipkin(spans(3))).status).toBe(202);
  });
});
