import { describe, expect, it } from 'vitest';
import type { AutoscalingSettings } from '../spec/function-spec.js';
import { initialDesired, kpaPolicy, type KpaState } from './kpa-policy.js';
import type { MetricSample, ScalingDecision } from './scaling-policy.js';

/** Knative's defaults (design.md), overridable per test. */
function settings(overrides: Partial<AutoscalingSettings> = {}): AutoscalingSettings {
  return {
    policy: 'kpa',
    metric: 'concurrency',
    target: 100,
    targetUtilization: 0.7,
    minScale: 0,
    maxScale: 0,
    initialScale: 1,
    stableWindowMs: 60_000,
    panicWindowPercentage: 10,
    panicThresholdPercentage: 200,
    scaleDownDelayMs: 0,
    scaleToZeroGracePeriodMs: 30_000,
    tickIntervalMs: 2_000,
    maxScaleUpRate: 1000,
    maxScaleDownRate: 2,
    ...overrides,
  };
}

/** One sample a second at t = 1 s … `toS`, concurrency from `load(tSeconds)`. */
function samples(
  toS: number,
  load: (tS: number) => number,
  rps: (tS: number) => number = () => 0,
): MetricSample[] {
  return Array.from({ length: toS }, (_, i) => ({
    timeMs: (i + 1) * 1000,
    concurrency: load(i + 1),
    requests: rps(i + 1),
  }));
}

/**
 * Drives the policy tick by tick the way the platform does. `ready` defaults to "the count
 * asked for at the previous tick is ready" (instant cold starts).
 */
class Harness {
  state: KpaState;
  desired: number;
  constructor(
    readonly s: AutoscalingSettings,
    readonly all: MetricSample[],
  ) {
    this.state = kpaPolicy.initialState(s, 0);
    this.desired = initialDesired(s);
  }
  tick(nowS: number, ready: number = this.desired): ScalingDecision<KpaState> {
    const nowMs = nowS * 1000;
    const decision = kpaPolicy.decide(
      {
        nowMs,
        settings: this.s,
        readyInstances: ready,
        currentDesired: this.desired,
        samples: this.all.filter((x) => x.timeMs <= nowMs && x.timeMs > nowMs - 2 * this.s.stableWindowMs),
      },
      this.state,
    );
    this.state = decision.state;
    this.desired = decision.desired;
    return decision;
  }
  /** Ticks every tick interval over [fromS, toS], returning `{ tS: decision }`. */
  run(fromS: number, toS: number, ready?: (tS: number) => number): Map<number, ScalingDecision<KpaState>> {
    const out = new Map<number, ScalingDecision<KpaState>>();
    for (let t = fromS; t <= toS; t += this.s.tickIntervalMs / 1000) out.set(t, this.tick(t, ready?.(t)));
    return out;
  }
}

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

describe('kpaPolicy: scale to zero', () => {
  it('goes to zero exactly a stable window plus the grace period after the last traffic', () => {
    // Load 1 until t = 100 s, then nothing. Target 100: one instance.
    const h = new Harness(
      settings(),
      samples(300, (t) => (t <= 100 ? 1 : 0)),
    );
    const ticks = h.run(2, 240);
    for (const [t, d] of ticks) {
      expect({ t, desired: d.desired }).toEqual({ t, desired: t < 190 ? 1 : 0 });
    }
    expect(ticks.get(188)!.reason).toMatch(/grace period/);
  });

  it('without any traffic, waits a stable window of being active, then the grace period', () => {
    const h = new Harness(
      settings(),
      samples(200, () => 0),
    );
    const ticks = h.run(2, 120);
    // Ready at t = 2 s (first tick): active until 62, inactive until 92.
    expect(ticks.get(90)!.desired).toBe(1);
    expect(ticks.get(92)!.desired).toBe(0);
  });

  it('honours a zero grace period and a custom stable window', () => {
    const h = new Harness(
      settings({ stableWindowMs: 10_000, scaleToZeroGracePeriodMs: 0 }),
      samples(100, (t) => (t <= 20 ? 1 : 0)),
    );
    const ticks = h.run(2, 40);
    expect(ticks.get(28)!.desired).toBe(1);
    expect(ticks.get(30)!.desired).toBe(0);
  });

  it('does not undo the activator scaling from zero to one, even before the metrics show the request', () => {
    const h = new Harness(
      settings(),
      samples(400, () => 0),
    );
    h.run(2, 100);
    expect(h.desired).toBe(0);
    h.desired = 1; // the poke: a request arrived, the platform scaled to 1 at once
    expect(h.tick(102, 0).desired).toBe(1); // activating: zero is not applied
    expect(h.tick(104, 1).desired).toBe(1); // ready: active for less than a stable window
    const later = h.run(106, 200);
    expect(later.get(162)!.desired).toBe(1);
    expect(later.get(164)!.desired).toBe(1); // inactive since 164, grace until 194
    expect(later.get(194)!.desired).toBe(0);
  });

  it('treats buffered concurrency at zero as needing an instance', () => {
    const h = new Harness(
      settings(),
      samples(400, (t) => (t === 301 ? 0.2 : 0)),
    );
    h.run(2, 300);
    expect(h.desired).toBe(0);
    expect(h.tick(302, 0).desired).toBe(1);
  });
});

describe('kpaPolicy: min, max and initial scale', () => {
  it.each([
    // [initialScale, minScale, maxScale, initialDesired]
    [1, 0, 0, 1],
    [0, 0, 0, 0],
    [1, 3, 0, 3],
    [5, 0, 2, 2],
    [4, 2, 10, 4],
  ])('initialDesired(initial %d, min %d, max %d) = %d', (initialScale, minScale, maxScale, expected) => {
    expect(initialDesired(settings({ initialScale, minScale, maxScale }))).toBe(expected);
  });

  it('never goes below min scale, not even to zero', () => {
    const h = new Harness(
      settings({ minScale: 2 }),
      samples(300, () => 0),
    );
    const ticks = h.run(2, 300);
    expect(Math.min(...[...ticks.values()].map((d) => d.desired))).toBe(2);
  });

  it('never goes above max scale, in panic too', () => {
    const h = new Harness(
      settings({ target: 1, maxScale: 3 }),
      samples(60, () => 500),
    );
    const d = h.tick(60, 1);
    expect(d.panic).toBe(true);
    expect(d.desired).toBe(3);
  });

  it('keeps the initial scale as a floor until it is reached once', () => {
    const h = new Harness(
      settings({ initialScale: 3 }),
      samples(300, () => 0),
    );
    expect(h.tick(2, 0).desired).toBe(3);
    expect(h.tick(4, 2).desired).toBe(3);
    // Reached: from now on the KPA decides; no load, limited to floor(3 / 2) per tick.
    expect(h.tick(6, 3).desired).toBe(1);
  });

  it('stays at zero with initial scale 0 and no traffic', () => {
    const h = new Harness(
      settings({ initialScale: 0 }),
      samples(100, () => 0),
    );
    expect(h.desired).toBe(0);
    expect([...h.run(2, 100).values()].every((d) => d.desired === 0)).toBe(true);
  });
});
