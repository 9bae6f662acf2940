import { describe, expect, it } from 'vitest';
import { instanceFaults } from '../runtime/instance-faults.js';
import {
  applyFault,
  createFaultTable,
  faultKinds,
  formatFaultOrder,
  parseFaultOrder,
  parseFaultSpec,
} from './index.js';

describe('fault specs', () => {
  it.each([
    { text: 'delay=50ms', spec: { order: { delayMs: 50 }, share: 1 } },
    { text: 'cpu=20ms,share=0.1', spec: { order: { cpuMs: 20 }, share: 0.1 } },
    { text: 'memory=64Mi', spec: { order: { memoryBytes: 64 * 2 ** 20 }, share: 1 } },
    { text: 'memory=100MB', spec: { order: { memoryBytes: 100e6 }, share: 1 } },
    { text: ' error , share=0.5', spec: { order: { error: true }, share: 0.5 } },
    { text: 'delay=1s,crash', spec: { order: { delayMs: 1000, crash: true }, share: 1 } },
  ])('$text', ({ text, spec }) => {
    expect(parseFaultSpec(text)).toEqual(spec);
    expect(parseFaultSpec(formatFaultOrder(spec.order)).order).toEqual(spec.order);
  });

  it.each([
    { text: '', message: 'expected delay=, cpu=, memory=, error or crash' },
    { text: 'delay=fast', message: 'delay: expected a duration like 50ms or 1s, got "fast"' },
    { text: 'memory=lots', message: 'memory: expected a size like 64Mi or 100M' },
    { text: 'delay=5ms,share=2', message: 'share: expected a number in (0, 1]' },
    { text: 'share=0.5', message: 'expected at least one of' },
    { text: 'smoke=1', message: 'unknown fault "smoke"' },
    { text: 'error=maybe', message: 'error: takes no value' },
  ])('refuses $text', ({ text, message }) => {
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it('reads a header order leniently: garbage is no order', () => {
    expect(parseFaultOrder('delay=5ms')).toEqual({ delayMs: 5 });
    expect(parseFaultOrder('nonsense')).toBeUndefined();
    expect(parseFaultOrder(undefined)).toBeUndefined();
    expect(faultKinds({ delayMs: 5, cpuMs: 1, error: true })).toEqual(['delay', 'cpu', 'error']);
  });
});

describe('the fault table', () => {
  it('injects into the share asked for, records each injection, and stops when cleared', () => {
    let u = 0;
    const table = createFaultTable({ random: () => (u = (u + 0.37) % 1), now: () => 1000 });
    table.set('default/geo', parseFaultSpec('delay=50ms,share=0.25'));
    let injected = 0;
    for (let i = 0; i < 1000; i++) if (table.decide('default/geo', `t${i}`)) injected++;
    expect(injected / 1000).toBeCloseTo(0.25, 1);
    expect(table.injections()).toHaveLength(injected);
    expect(table.injections()[0]).toMatchObject({
      timeMs: 1000,
      function: 'default/geo',
      kinds: ['delay'],
      order: 'delay=50ms',
    });
    expect(table.decide('default/rate')).toBeUndefined();
    table.clear('default/geo');
    expect(table.decide('default/geo')).toBeUndefined();
    expect(table.changes().map((c) => c.spec?.share)).toEqual([0.25, undefined]);
    expect(table.active()).toEqual([]);
  });

  it('keeps a bounded log', () => {
    const table = createFaultTable({ maxRecords: 10 });
    table.set('default/f', parseFaultSpec('error'));
    for (let i = 0; i < 25; i++) table.decide('default/f', String(i));
    expect(table.injections().map((r) => r.traceId)).toEqual([
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
      '24',
    ]);
  });
});

describe('carrying out an order', () => {
  it('runs the handler untouched without an order', async () => {
    expect(await applyFault(undefined, () => 42)).toBe(42);
  });

  it('sleeps for a delay', async () => {
    const start = performance.now();
    await applyFault({ delayMs: 40 }, () => undefined);
    expect(performance.now() - start).toBeGreaterThanOrEqual(39);
  });

  it('burns real CPU time', async () => {
    const before = process.cpuUsage();
    await applyFault({ cpuMs: 30 }, () => undefined);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeGreaterThanOrEqual(30);
  });

  it('holds touched memory while the handler runs', async () => {
    const before = process.memoryUsage().rss;
    const during = await applyFault({ memoryBytes: 64 * 2 ** 20 }, () => process.memoryUsage().rss);
    expect(during - before).toBeGreaterThan(48 * 2 ** 20);
  });

  it('fails instead of running the handler', async () => {
    let ran = false;
    await expect(applyFault({ error: true }, () => (ran = true))).rejects.toThrow('injected fault: error');
    expect(ran).toBe(false);
  });
});

describe('faults from the function’s own environment (HIVELAB_FAULT)', () => {
  const ctx = {
    functionName: 'geo',
    instanceId: 'geo-1',
    traceHeaders: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
    zipkinUrl: undefined,
  };

  it('injects into its share and records each injection as a JSON line', () => {
    const lines: string[] = [];
    let u = 0;
    const decide = instanceFaults(
      { HIVELAB_FAULT: 'cpu=20ms,share=0.5' },
      () => (u = (u + 0.3) % 1),
      (l) => lines.push(l),
    )!;
    const orders = Array.from({ length: 10 }, () => decide(ctx));
    expect(orders.filter(Boolean).length).toBe(lines.length);
    expect(lines.length).toBeGreaterThan(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      hivelabFault: { function: 'geo', kinds: ['cpu'], order: 'cpu=20ms', traceId: 'a'.repeat(32) },
    });
  });

  it('is off without the variable, and says once why a bad spec is ignored', () => {
    expect(instanceFaults({})).toBeUndefined();
    const lines: string[] = [];
    expect(instanceFaults({ HIVELAB_FAULT: 'smoke=1' }, Math.random, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([
      'hivelab: HIVELAB_FAULT ignored: unknown fault "smoke": expected delay=, cpu=, memory=, error, crash or share=',
    ]);
  });
});
