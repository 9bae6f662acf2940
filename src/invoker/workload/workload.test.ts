import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { mulberry32 } from '../schedule/prng.js';
import { parseWorkload, readWorkloadFile } from './workload-file.js';
import { createWorkloadSampler, generate } from './workload-sampler.js';

const HOTEL_MIXED = fileURLToPath(new URL('../../../examples/hotel-mixed.json', import.meta.url));

describe('the hotel mixed workload (DeathStarBench wrk2 mixed-workload_type_1)', () => {
  it('draws each kind within ±2 % of its share over 10 000 seeded requests', async () => {
    const sample = createWorkloadSampler(await readWorkloadFile(HOTEL_MIXED), mulberry32(42));
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const kind = sample().kind;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const share = (kind: string): number => (counts.get(kind) ?? 0) / 10_000;
    expect(Math.abs(share('search') - 0.6)).toBeLessThan(0.02);
    expect(Math.abs(share('recommend') - 0.39)).toBeLessThan(0.02);
    expect(Math.abs(share('login') - 0.005)).toBeLessThan(0.02);
    expect(Math.abs(share('reserve') - 0.005)).toBeLessThan(0.02);
    expect(counts.get('login')).toBeGreaterThan(0);
    expect(counts.get('reserve')).toBeGreaterThan(0);
  });

  it('generates the parameters of the Lua script: April 2015 dates, the coordinate grid, Cornell users', async () => {
    const sample = createWorkloadSampler(await readWorkloadFile(HOTEL_MIXED), mulberry32(7));
    for (let i = 0; i < 2_000; i++) {
      const request = sample();
      const url = new URL(request.path, 'http://frontend');
      const inDate = url.searchParams.get('inDate');
      if (inDate !== null) {
        expect(inDate).toMatch(/^2015-04-(09|1\d|2[0-3])$/);
        const outDay = Number(url.searchParams.get('outDate')!.slice(8));
        expect(outDay).toBeGreaterThan(Number(inDate.slice(8)));
        expect(outDay).toBeLessThanOrEqual(request.kind === 'reserve' ? 28 : 24);
      }
      const lat = Number(url.searchParams.get('lat') ?? 38);
      const lon = Number(url.searchParams.get('lon') ?? -122);
      expect(lat).toBeGreaterThanOrEqual(37.783 - 1e-9);
      expect(lat).toBeLessThanOrEqual(38.264 + 1e-9);
      expect(lon).toBeGreaterThanOrEqual(-122.252 - 1e-9);
      expect(lon).toBeLessThanOrEqual(-121.927 + 1e-9);
      if (request.kind === 'login' || request.kind === 'reserve') {
        expect(request.method).toBe('POST');
        const id = url.searchParams.get('username')!.replace('Cornell_', '');
        expect(url.searchParams.get('password')).toBe(id.repeat(10));
      } else expect(request.method).toBe('GET');
      if (request.kind === 'recommend')
        expect(['dis', 'rate', 'price']).toContain(url.searchParams.get('require'));
    }
  });

  it('is repeatable with the same seed', async () => {
    const workload = await readWorkloadFile(HOTEL_MIXED);
    const a = createWorkloadSampler(workload, mulberry32(3));
    const b = createWorkloadSampler(workload, mulberry32(3));
    for (let i = 0; i < 50; i++) expect(a()).toEqual(b());
  });
});

describe('generators', () => {
  const values = new Map([['day', '7']]);
  it.each([
    { generator: { int: [5, 5] as [number, number] }, expected: '5' },
    {
      generator: { int: [{ param: 'day', add: 1 }, 8] as [{ param: string; add: number }, number] },
      expected: '8',
    },
    { generator: { int: [2, 2] as [number, number], scale: 0.5, offset: 1 }, expected: '2' },
    { generator: { template: '2015-04-{day:02}' }, expected: '2015-04-07' },
    { generator: { template: '{day}', repeat: 3 }, expected: '777' },
    { generator: { choice: ['only'] }, expected: 'only' },
  ])('$generator → $expected', ({ generator, expected }) => {
    expect(generate(generator, values, mulberry32(1))).toBe(expected);
  });

  it('URL-encodes path values and keeps body values raw', () => {
    const workload = parseWorkload({
      params: { q: { choice: ['a b&c'] } },
      requests: [{ name: 'x', weight: 1, method: 'post', path: '/s?q={q}', body: '{"q":"{q}"}' }],
    });
    expect(createWorkloadSampler(workload, mulberry32(1))()).toEqual({
      kind: 'x',
      method: 'POST',
      path: '/s?q=a%20b%26c',
      body: '{"q":"a b&c"}',
    });
  });
});

describe('bad workload files', () => {
  it.each([
    { value: { requests: [] }, message: 'requests: expected at least one request kind' },
    {
      value: { requests: [{ name: 'a', weight: 0, path: '/' }] },
      message: 'requests.0.weight: expected a weight > 0',
    },
    {
      value: { requests: [{ name: 'a', weight: 1, path: 'x' }] },
      message: 'requests.0.path: expected a path starting with /',
    },
    {
      value: {
        params: { a: { int: [{ param: 'b', add: 0 }, 3] } },
        requests: [{ name: 'a', weight: 1, path: '/' }],
      },
      message: 'params.a: refers to "b", which is not an earlier parameter',
    },
    {
      value: { requests: [{ name: 'a', weight: 1, path: '/?x={nope}' }] },
      message: 'requests.0: {nope} is not a parameter of this workload',
    },
    {
      value: {
        params: { a: { choice: ['x'], weights: [1, 2] } },
        requests: [{ name: 'a', weight: 1, path: '/' }],
      },
      message: 'params.a: expected as many weights as choices',
    },
  ])('$message', ({ value, message }) => {
    expect(() => parseWorkload(value, 'w.json')).toThrow(UserError);
    expect(() => parseWorkload(value, 'w.json')).toThrow(`w.json: ${message}`);
  });

  it('names the file that is missing or not JSON', async () => {
    await expect(readWorkloadFile('/nonexistent/w.json')).rejects.toThrow(
      'error while reading the workload /nonexistent/w.json',
    );
  });
});
