import { describe, expect, it } from 'vitest';
import { checkLogin, checkRecommend, checkReserve, checkSearch } from './frontend-requests.js';
import {
  geoJsonResponse,
  matchesFilter,
  nearbyHotels,
  recommendHotels,
  sortRatePlans,
  stayNights,
  type GeoPoint,
  type RecommendationHotel,
} from './hotel-logic.js';
import { seedDatabase, sha256Hex } from './seed-data.js';

const geo = seedDatabase('geo').geo as unknown as GeoPoint[];
const recommendations = seedDatabase('recommendation').recommendation as unknown as RecommendationHotel[];

describe("the seed data, as DeathStarBench's db.go files write it", () => {
  it('has 80 hotels: six named around lat 37.7867 / lon -122.4112, 7-80 generated on a line', () => {
    expect(geo).toHaveLength(80);
    expect(geo[0]).toEqual({ hotelId: '1', lat: 37.7867, lon: -122.4112 });
    expect(geo.find((p) => p.hotelId === '80')).toEqual({
      hotelId: '80',
      lat: 37.7835 + 0.48,
      lon: -122.41 + 0.64,
    });
    expect(
      (seedDatabase('profile').hotels as { id: string; name: string }[]).map((h) => h.name).slice(0, 2),
    ).toEqual(['Clift Hotel', 'W San Francisco']);
  });

  it('has rate plans for hotels 1-3 and every third generated hotel', () => {
    const plans = seedDatabase('rate').inventory as { hotelId: string; outDate: string }[];
    expect(plans.map((p) => p.hotelId)).toEqual([
      '1',
      '2',
      '3',
      ...Array.from({ length: 24 }, (_, k) => String(9 + 3 * k)),
    ]);
    expect(plans.find((p) => p.hotelId === '12')!.outDate).toBe('2015-04-17');
    expect(plans.find((p) => p.hotelId === '9')!.outDate).toBe('2015-04-24');
  });

  it('has capacities 200 / 300 / 250 by i % 3 and Alice’s reservation at hotel 4', () => {
    const db = seedDatabase('reservation');
    const cap = (id: string) =>
      (db.number as { hotelId: string; numberOfRoom: number }[]).find((n) => n.hotelId === id)!.numberOfRoom;
    expect([cap('1'), cap('6'), cap('7'), cap('8'), cap('9')]).toEqual([200, 200, 300, 250, 200]);
    expect(db.reservation).toEqual([
      { hotelId: '4', customerName: 'Alice', inDate: '2015-04-09', outDate: '2015-04-10', number: 1 },
    ]);
  });

  it('stores Cornell_0…Cornell_500 with the SHA-256 of their number written ten times', () => {
    const users = seedDatabase('user').user as { username: string; password: string }[];
    expect(users).toHaveLength(501);
    expect(users[7]).toEqual({ username: 'Cornell_7', password: sha256Hex('7777777777') });
    expect(sha256Hex('7777777777')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('geo, rate and recommendation decisions', () => {
  it('finds at most 5 hotels within 10 km, nearest first', () => {
    //   hotel 1 (37.7867, -122.4112) is the query point itself
    const ids = nearbyHotels(geo, 37.7867, -122.4112);
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe('1');
    expect(nearbyHotels(geo, 0, 0)).toEqual([]);
  });

  it('orders rate plans by total rate, highest first, without touching its input', () => {
    const plans = [
      { hotelId: 'a', roomType: { totalRate: 1 } },
      { hotelId: 'b', roomType: { totalRate: 3 } },
    ];
    expect(sortRatePlans(plans).map((p) => p.hotelId)).toEqual(['b', 'a']);
    expect(plans[0]!.hotelId).toBe('a');
  });

  it.each([
    { require: 'rate', expected: ['9', '24', '39', '54', '69'] }, // 232, the highest rate
    { require: 'price', expected: ['2'] }, // 120, the lowest price
    { require: 'dis', expected: ['1'] },
    { require: 'nonsense', expected: [] },
  ])('recommends by $require', ({ require, expected }) => {
    expect(recommendHotels(recommendations, require, 37.7867, -122.4112)).toEqual(expected);
  });
});

describe('helpers', () => {
  it('splits a stay into nights', () => {
    expect(stayNights('2015-04-09', '2015-04-11')).toEqual([
      ['2015-04-09', '2015-04-10'],
      ['2015-04-10', '2015-04-11'],
    ]);
    expect(stayNights('2015-04-11', '2015-04-11')).toEqual([]);
    expect(stayNights('april', '2015-04-11')).toEqual([]);
  });

  it('filters documents by equality and $in', () => {
    expect(matchesFilter({ hotelId: '4', n: 1 }, { hotelId: '4' })).toBe(true);
    expect(matchesFilter({ hotelId: '4' }, { hotelId: { $in: ['1', '4'] } })).toBe(true);
    expect(matchesFilter({ hotelId: '5' }, { hotelId: { $in: ['1', '4'] } })).toBe(false);
    expect(matchesFilter({ hotelId: '5' }, {})).toBe(true);
  });

  it('answers GeoJSON features with [lon, lat] points', () => {
    expect(
      geoJsonResponse([
        {
          id: '1',
          name: 'Clift Hotel',
          phoneNumber: '(415) 775-4700',
          address: { lat: 37.7867, lon: -122.4112 },
        },
      ]),
    ).toEqual({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: '1',
          properties: { name: 'Clift Hotel', phone_number: '(415) 775-4700' },
          geometry: { type: 'Point', coordinates: [-122.4112, 37.7867] },
        },
      ],
    });
  });
});

describe("the frontend's query checks (DeathStarBench's messages)", () => {
  const q = (s: string) => new URLSearchParams(s);
  it.each([
    { check: checkSearch, query: 'lat=1&lon=2', reason: 'Please specify inDate/outDate params' },
    {
      check: checkSearch,
      query: 'inDate=2015-04-09&outDate=2015-04-10',
      reason: 'Please specify location params',
    },
    { check: checkRecommend, query: 'lat=1&lon=2&require=best', reason: 'Please specify require params' },
    { check: checkLogin, query: 'username=Cornell_1', reason: 'Please specify username and password' },
    {
      check: checkReserve,
      query: 'inDate=9&outDate=10',
      reason: 'Please check inDate/outDate format (YYYY-MM-DD)',
    },
    {
      check: checkReserve,
      query: 'inDate=2015-04-09&outDate=2015-04-10',
      reason: 'Please specify hotelId params',
    },
    {
      check: checkReserve,
      query: 'inDate=2015-04-09&outDate=2015-04-10&hotelId=1',
      reason: 'Please specify customerName params',
    },
  ])('$query → $reason', ({ check, query, reason }) => {
    expect(check(q(query))).toEqual({ ok: false, reason });
  });

  it('parses a reservation', () => {
    expect(
      checkReserve(
        q(
          'inDate=2015-04-09&outDate=2015-04-10&hotelId=5&customerName=Cornell_1&username=Cornell_1&password=1111111111&number=1',
        ),
      ),
    ).toEqual({
      ok: true,
      value: {
        inDate: '2015-04-09',
        outDate: '2015-04-10',
        hotelId: '5',
        customerName: 'Cornell_1',
        username: 'Cornell_1',
        password: '1111111111',
        rooms: 1,
      },
    });
  });
});
