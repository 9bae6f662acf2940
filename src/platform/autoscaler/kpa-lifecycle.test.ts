import { describe, expect, it } from 'vitest';
import { Harness, samples, settings } from './testing/kpa-harness.js';
import { initialDesired } from './kpa-policy.js';

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

  it('with a scale-down delay, the delay comes before the grace period', () => {
    // Raw zero from 160 s; the 10-s delay (5 ticks) holds 1 until 168 s; zero at 168 + 30.
    const h = new Harness(
      settings({ scaleDownDelayMs: 10_000 }),
      samples(300, (t) => (t <= 100 ? 1 : 0)),
    );
    const ticks = h.run(2, 240);
    expect(ticks.get(196)!.desired).toBe(1);
    expect(ticks.get(198)!.desired).toBe(0);
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
    // Reached: Knative marks the target initialized after this tick's scale ("initial scale
    // reached for the first time" keeps 5 of 5), so the floor holds once more.
    expect(h.tick(6, 3).desired).toBe(3);
    // From now on the KPA decides; no load, limited to floor(3 / 2) per tick.
    expect(h.tick(8, 3).desired).toBe(1);
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
