// DeathStarBench's hotel reservation end to end: examples/hotel/ applied to a real platform,
// the frontend called over HTTP through the gateway, its replies in DeathStarBench's shapes,
// and the call graph read back from the collector's traces. Instances run the built
// JavaScript: `npm run build` first, as `npm test` does.
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../collector/index.js';
import { applyManifests, loadManifests } from '../../deploy/index.js';
import { packageRoot } from '../../package-root.js';
import { startPlatform, type RunningPlatform } from '../../platform/index.js';
import type { Span } from '../../spans/index.js';
import { MemoryTraceStore } from '../../store/index.js';

let collector: RunningCollector;
let platform: RunningPlatform;

beforeAll(async () => {
  collector = await startCollector({ port: 0, otlpPort: null, store: new MemoryTraceStore() });
  platform = await startPlatform({ port: 0, zipkinUrl: `${collector.url}/api/v2/spans` });
  const services = await loadManifests([path.join(packageRoot, 'examples', 'hotel')], { env: {} });
  expect(services).toHaveLength(17);
  await applyManifests(services, platform);
}, 180_000);
afterAll(async () => {
  await platform.close();
  await collector.close();
});

interface Answer {
  status: number;
  body: string;
  traceId: string;
}

/** A request to the frontend through the gateway, in a trace of our own. */
function frontend(method: string, target: string, extra: Record<string, string> = {}): Promise<Answer> {
  const traceId = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const url = new URL(platform.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: {
          ...extra,
          host: 'frontend.default.localhost',
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), traceId }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Functions whose SERVER span is in the trace, once `expected` are all there. */
async function servedBy(traceId: string, expected: readonly string[]): Promise<Span[]> {
  let spans: Span[] = [];
  for (let attempt = 0; attempt < 60; attempt++) {
    const response = await fetch(`${collector.url}/api/v2/trace/${traceId}`);
    if (response.ok) spans = (await response.json()) as Span[];
    const names = new Set(serverSpans(spans).map((s) => s.tags?.['function.name']));
    if (expected.every((name) => names.has(name))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return serverSpans(spans).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

function serverSpans(spans: Span[]): Span[] {
  // The function's own SERVER span (the gateway's SERVER span carries function.name too).
  return spans.filter(
    (s) =>
      s.kind === 'SERVER' &&
      s.tags?.['function.name'] !== undefined &&
      s.localEndpoint?.serviceName === s.tags['function.name'],
  );
}

interface FeatureCollection {
  type: string;
  features: {
    type: string;
    id: string;
    properties: { name: string; phone_number: string };
    geometry: { type: string; coordinates: number[] };
  }[];
}

describe('hotel reservation (DeathStarBench) on the platform', () => {
  it('GET /hotels: search → geo, rate; then reservation and profile; GeoJSON features', async () => {
    const answer = await frontend(
      'GET',
      '/hotels?inDate=2015-04-09&outDate=2015-04-10&lat=37.7867&lon=-122.4112',
    );
    expect(answer.status).toBe(200);
    const reply = JSON.parse(answer.body) as FeatureCollection;
    expect(reply.type).toBe('FeatureCollection');
    // Hotels 1-3 are the ones with a plan for these dates near hotel 1.
    expect(reply.features.map((f) => f.id).sort()).toEqual(['1', '2', '3']);
    const clift = reply.features.find((f) => f.id === '1')!;
    expect(clift.properties).toEqual({ name: 'Clift Hotel', phone_number: '(415) 775-4700' });
    expect(clift.geometry.type).toBe('Point');
    expect(clift.geometry.coordinates[0]).toBeCloseTo(-122.4112, 3);
    expect(clift.geometry.coordinates[1]).toBeCloseTo(37.7867, 3);

    const order = ['frontend', 'search', 'geo', 'rate', 'reservation', 'profile'];
    const spans = await servedBy(answer.traceId, [
      ...order,
      'mongodb-geo',
      'memcached-rate',
      'mongodb-reservation',
    ]);
    const first = (name: string) => spans.find((s) => s.tags?.['function.name'] === name)!.timestamp!;
    for (const name of order) expect(first(name), name).toBeGreaterThan(0);
    // search's hops come before reservation's, which come before profile's.
    expect(first('geo')).toBeLessThan(first('rate'));
    expect(first('rate')).toBeLessThan(first('reservation'));
    expect(first('reservation')).toBeLessThan(first('profile'));
  }, 60_000);

  it('GET /recommendations?require=price: the cheapest hotel, through recommendation and profile', async () => {
    const answer = await frontend('GET', '/recommendations?require=price&lat=38.0235&lon=-122.095');
    expect(answer.status).toBe(200);
    expect(
      (JSON.parse(answer.body) as FeatureCollection).features.map((f) => [f.id, f.properties.name]),
    ).toEqual([['2', 'W San Francisco']]);
    const spans = await servedBy(answer.traceId, ['frontend', 'recommendation', 'profile']);
    expect(spans.map((s) => s.tags?.['function.name'])).not.toContain('search');
  }, 60_000);

  it('POST /user: Cornell_7 with 7777777777 logs in, a wrong password does not', async () => {
    expect(JSON.parse((await frontend('POST', '/user?username=Cornell_7&password=7777777777')).body)).toEqual(
      {
        message: 'Login successfully!',
      },
    );
    expect(JSON.parse((await frontend('POST', '/user?username=Cornell_7&password=7')).body)).toEqual({
      message: 'Failed. Please check your username and password. ',
    });
  }, 60_000);

  it('POST /reservation: user → reservation; the booking is stored and counted', async () => {
    const query =
      '/reservation?inDate=2015-04-10&outDate=2015-04-12&lat=38&lon=-122&hotelId=7&customerName=Cornell_1&username=Cornell_1&password=1111111111&number=1';
    const answer = await frontend('POST', query);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Reserve successfully!' });
    const spans = await servedBy(answer.traceId, ['frontend', 'user', 'reservation', 'mongodb-reservation']);
    expect(spans.findIndex((s) => s.tags?.['function.name'] === 'user')).toBeLessThan(
      spans.findIndex((s) => s.tags?.['function.name'] === 'reservation'),
    );
    // 300 rooms at hotel 7: asking for 300 more on a night already booked fails.
    const full = await frontend('POST', query.replace('number=1', 'number=300'));
    expect(JSON.parse(full.body)).toEqual({ message: 'Failed. Already reserved. ' });
  }, 60_000);

  it('carries out a fault order sent with the request (x-hivelab-fault): a delay, then an error', async () => {
    const start = performance.now();
    const delayed = await frontend('POST', '/user?username=Cornell_7&password=7777777777', {
      'x-hivelab-fault': 'delay=300ms',
    });
    expect(delayed.status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(300);
    const failed = await frontend('POST', '/user?username=Cornell_7&password=7777777777', {
      'x-hivelab-fault': 'error',
    });
    expect(failed).toMatchObject({ status: 500, body: 'function error: injected fault: error' });
  }, 60_000);

  it('answers bad queries with 400 and the reason, as DeathStarBench does', async () => {
    const answer = await frontend('GET', '/hotels?lat=1&lon=2');
    expect(answer).toMatchObject({ status: 400, body: 'Please specify inDate/outDate params\n' });
    expect((await frontend('GET', '/nowhere')).status).toBe(404);
  }, 60_000);
});
