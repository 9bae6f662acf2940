import { describe, expect, it } from 'vitest';
import { Harness, samples, settings } from './testing/kpa-harness.js';

describe('kpaPolicy: steady load', () => {
  it.each([
    // [concurrency, target, utilization, ready, expected = ceil(N / (target × utilization))]
    [7, 1, 0.7, 10, 10],
    [35, 10, 0.7, 5, 5],
    [150, 100, 0.7, 3, 3],
    [0.5, 1, 0.7, 1, 1],
    [100, 100, 1, 1, 1],
    [101, 100, 1, 2, 2],
    [42, 10, 0.5, 9, 9],
  ])('load %d at target %d × %d with %d ready → %d', (load, target, util, ready, expected) => {
    const h = new Harness(
      settings({ target, targetUtilization: util }),
      samples(60, () => load),
    );
    const d = h.tick(60, ready);
    expect(d.desired).toBe(expected);
    expect(d.panic).toBe(false);
  });

  it('uses what it has when there are fewer samples than the window (Knative: partial window)', () => {
    const h = new Harness(
      settings({ target: 10 }),
      samples(6, () => 14),
    );
    // Average over the 6 samples present (14), not over 60 s: ceil(14 / 7) = 2.
    expect(h.tick(6, 2).desired).toBe(2);
  });

  it('keeps the current count when there is no data at all (Knative: ErrNoData)', () => {
    const h = new Harness(settings(), []);
    h.desired = 3;
    const d = h.tick(10, 3);
    expect(d.desired).toBe(3);
    expect(d.reason).toMatch(/no data/);
  });

  it('scales on requests per second with the rps metric', () => {
    const data = samples(
      60,
      () => 0.5,
      () => 35,
    );
    expect(new Harness(settings({ metric: 'rps', target: 10 }), data).tick(60, 1).desired).toBe(5);
    expect(new Harness(settings({ metric: 'concurrency', target: 10 }), data).tick(60, 1).desired).toBe(1);
  });
});

describe('kpaPolicy: panic mode', () => {
  it.each([
    // [maxScaleUpRate, ready, expected]: panic wants ceil(140 / 7) = 20
    [1000, 4, 20],
    [1.5, 4, 6], // ceil(1.5 × 4)
    [2, 1, 2],
    [1.1, 3, 4], // ceil(3.3): a slow rate still grows
  ])('a burst panics and scale-up is limited by rate %d with %d ready → %d', (rate, ready, expected) => {
    const load = (t: number): number => (t > 54 ? 140 : 7);
    const h = new Harness(settings({ target: 10, maxScaleUpRate: rate }), samples(60, load));
    const d = h.tick(60, ready);
    expect(d.panic).toBe(true);
    expect(d.desired).toBe(expected);
  });

  it('counts zero ready instances as one (Knative: "use 1 if there are zero current pods")', () => {
    // One instance's worth of load at zero: 1 / 1 < 200 %, no panic.
    expect(
      new Harness(
        settings({ target: 10 }),
        samples(60, () => 7),
      ).tick(60, 0).panic,
    ).toBe(false);
    // A big burst at zero: scale-up limited to ceil(2 × 1), not to 0 or 1.
    const d = new Harness(
      settings({ target: 10, maxScaleUpRate: 2 }),
      samples(60, () => 70),
    ).tick(60, 0);
    expect(d).toMatchObject({ panic: true, desired: 2 });
  });

  it('does not panic below the threshold (panic desired / ready < 200 %)', () => {
    const load = (t: number): number => (t > 54 ? 13 : 7); // panic wants 2, 2 / 1 = 200 % → panic
    expect(new Harness(settings({ target: 10 }), samples(60, load)).tick(60, 1).panic).toBe(true);
    const lower = (t: number): number => (t > 54 ? 7 : 1); // panic wants 1, 1 / 1 < 200 %
    expect(new Harness(settings({ target: 10 }), samples(60, lower)).tick(60, 1).panic).toBe(false);
  });

  // Load 7 (1 instance at target 10 × 0.7); a 2-s burst of 70 at t = 61–62 s; 7 again after.
  //   t:    ... 60 | 61 62 | 63 ...
  //   load:   7  7 | 70 70 |  7  7
  const burst = (t: number): number => (t === 61 || t === 62 ? 70 : 7);

  it('never scales down during panic, and leaves panic one stable window after the last over-threshold tick', () => {
    const h = new Harness(settings({ target: 10 }), samples(200, burst));
    h.run(2, 60, () => 1);
    const first = h.tick(62, 1); // panic avg (4×7 + 2×70)/6 = 28 → 4; 4 / 1 ≥ 2 → panic
    expect(first.panic).toBe(true);
    expect(first.desired).toBe(4);
    // Ready 4 from now on: never over the threshold again, the stable count falls to 2
    // (floor(4 / 2) rate limit) but panic holds 4 until 62 + 60 s has passed.
    const during = h.run(64, 122, () => 4);
    for (const [t, d] of during) {
      expect({ t, panic: d.panic, desired: d.desired }).toEqual({ t, panic: true, desired: 4 });
    }
    const after = h.tick(124, 4);
    expect(after.panic).toBe(false);
    expect(after.desired).toBe(2);
  });

  it('in panic follows the larger of the stable and panic counts', () => {
    // A long high load then a short lull: stable still wants 10, panic wants less.
    const load = (t: number): number => (t <= 58 ? 70 : 7);
    const h = new Harness(settings({ target: 10 }), samples(60, load));
    h.state = { ...h.state, panicTimeMs: 59_000, maxPanicPods: 3 };
    const d = h.tick(60, 3);
    expect(d.panic).toBe(true);
    // Stable (58×70 + 2×7)/60 = 67.9 → 10; panic (4×70 + 2×7)/6 = 49 → 7; max panic pods 3.
    expect(d.desired).toBe(10);
  });
});

describe('kpaPolicy: scale down', () => {
  it.each([
    // [ready, maxScaleDownRate, expected]: no load at all for a stable window
    [10, 2, 5],
    [9, 2, 4],
    [5, 2, 2],
    [2, 2, 1],
    [10, 4, 2],
  ])('with %d ready and rate %d scales down to %d per tick', (ready, rate, expected) => {
    const h = new Harness(
      settings({ maxScaleDownRate: rate }),
      samples(60, () => 0),
    );
    h.state = { ...h.state, activation: { phase: 'active', sinceMs: 0 } };
    expect(h.tick(60, ready).desired).toBe(expected);
  });

  it('holds the count for the scale-down delay: the max of the last delay window', () => {
    // Stable window 6 s so the load drop shows quickly; ready fixed at 5.
    const load = (t: number): number => (t <= 20 ? 35 : 7);
    const base = { target: 10, stableWindowMs: 6000, panicWindowPercentage: 50 };
    const plain = new Harness(settings(base), samples(60, load)).run(2, 50, () => 5);
    const delayed = new Harness(settings({ ...base, scaleDownDelayMs: 10_000 }), samples(60, load)).run(
      2,
      50,
      () => 5,
    );
    expect(plain.get(28)!.desired).toBe(2);
    expect(delayed.get(28)!.desired).toBe(5);
    for (const [t, d] of delayed) {
      // Buckets of one tick, ceil(10 s / 2 s) = 5 of them: this tick and the 4 before.
      const window = [...plain].filter(([u]) => u > t - 10 && u <= t).map(([, p]) => p.desired);
      expect({ t, desired: d.desired }).toEqual({ t, desired: Math.max(...window) });
    }
    expect(delayed.get(50)!.desired).toBe(2);
  });
});
