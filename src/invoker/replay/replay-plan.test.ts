import { describe, expect, it } from 'vitest';
import type { DurationsRow, InvocationsRow, MemoryRow } from './azure-trace.js';
import { planReplay, type AzureTrace } from './replay-plan.js';

const inv = (fn: string, perMinute: number[]): InvocationsRow => ({
  hashOwner: 'o',
  hashApp: 'a',
  hashFunction: fn,
  trigger: 'http',
  perMinute,
});
const dur = (fn: string, percentilesMs: number[]): DurationsRow => ({
  hashOwner: 'o',
  hashApp: 'a',
  hashFunction: fn,
  averageMs: 0,
  percentilesMs,
});
const mem = (fn: string, percentilesMb: number[]): MemoryRow => ({
  hashOwner: 'o',
  hashApp: 'a',
  hashFunction: fn,
  averageMb: 0,
  percentilesMb,
});

const trace: AzureTrace = {
  invocations: [inv('f1', [2, 3, 4]), inv('f2', [10, 0, 1]), inv('lonely', [5, 5, 5])],
  durations: [dur('f1', [10, 10, 10, 10, 10, 10, 10]), dur('f2', [0, 100, 200, 300, 400, 500, 1000])],
  memory: [
    mem('f1', [64, 64, 64, 64, 64, 64, 64, 64]),
    mem('f2', [100, 100, 100, 200, 300, 300, 300, 400]),
    mem('lonely', [1, 1, 1, 1, 1, 1, 1, 1]),
  ],
};

describe('planReplay', () => {
  it('replays functions present in all three files, skipping the rest with the reason', () => {
    const plan = planReplay(trace, { durationMin: 2, warmupMin: 1, seed: 1 });
    expect(plan.functions.map((f) => [f.name, f.hashFunction, f.perMinute])).toEqual([
      ['trace-func-0', 'f1', [2, 3, 4]],
      ['trace-func-1', 'f2', [10, 0, 1]],
    ]);
    expect(plan.skipped).toEqual([{ key: 'o/a/lonely', missingIn: ['durations.csv'] }]);
  });

  it('keeps the per-minute counts, marks warm-up minutes as phase 1 and sorts by time', () => {
    const plan = planReplay(trace, { durationMin: 2, warmupMin: 1, seed: 1 });
    expect(plan.invocations.length).toBe(2 + 3 + 4 + 10 + 0 + 1);
    const count = (fi: number, minute: number): number =>
      plan.invocations.filter((i) => i.functionIndex === fi && Math.floor(i.atMs / 60_000) === minute).length;
    expect([count(0, 0), count(0, 1), count(0, 2), count(1, 0), count(1, 1), count(1, 2)]).toEqual([
      2, 3, 4, 10, 0, 1,
    ]);
    for (const i of plan.invocations) expect(i.phase).toBe(i.atMs < 60_000 ? 1 : 2);
    for (let k = 1; k < plan.invocations.length; k++)
      expect(plan.invocations[k]!.atMs).toBeGreaterThanOrEqual(plan.invocations[k - 1]!.atMs);
    expect(new Set(plan.invocations.map((i) => i.invocationId)).size).toBe(plan.invocations.length);
  });

  it('samples durations and memory inside the percentile range', () => {
    const plan = planReplay(
      { ...trace, invocations: [inv('f1', [1]), inv('f2', [2000])] },
      { durationMin: 1, seed: 3 },
    );
    const f1 = plan.invocations.filter((i) => i.functionIndex === 0);
    expect(f1.map((i) => [i.durationMs, i.memoryMb])).toEqual([[10, 64]]);
    const f2 = plan.invocations.filter((i) => i.functionIndex === 1);
    for (const i of f2) {
      expect(i.durationMs >= 1 && i.durationMs <= 1000).toBe(true);
      expect(i.memoryMb >= 100 && i.memoryMb <= 400).toBe(true);
    }
    // Median of the interpolated distribution is the 50th percentile column (300 ms).
    const sorted = f2.map((i) => i.durationMs).sort((a, b) => a - b);
    expect(Math.abs(sorted[1000]! - 300)).toBeLessThan(25);
  });

  it('is repeatable with a seed and differs across seeds', () => {
    const a = planReplay(trace, { durationMin: 3, seed: 9, shift: true });
    const b = planReplay(trace, { durationMin: 3, seed: 9, shift: true });
    const c = planReplay(trace, { durationMin: 3, seed: 10, shift: true });
    expect(a).toEqual(b);
    expect(a.invocations.map((i) => i.atMs)).not.toEqual(c.invocations.map((i) => i.atMs));
  });

  it('refuses a replay longer than the trace, and a trace with no complete function', () => {
    expect(() => planReplay(trace, { durationMin: 3, warmupMin: 1, seed: 1 })).toThrow(
      /has 3 minute columns, but --warmup 1 \+ --duration 3 needs 4/,
    );
    expect(() => planReplay({ ...trace, memory: [] }, { durationMin: 1, seed: 1 })).toThrow(
      /no function of invocations\.csv appears/,
    );
  });
});
