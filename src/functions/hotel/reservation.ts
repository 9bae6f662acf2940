/**
 * Built-in `hotel/reservation`: reservation.Reservation/CheckAvailability and
 * MakeReservation. Rooms taken per night and hotel capacities come from memcached-reserve,
 * misses from mongodb-reservation (`reservation` and `number` collections), as
 * DeathStarBench's reservation service does. Like it, two concurrent bookings of the last
 * room may both succeed.
 */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, memcached, mongodb } from './hop.js';
import { fieldText, stayNights } from './hotel-logic.js';

const cache = memcached('memcached-reserve');
const db = mongodb('mongodb-reservation');

const capKey = (hotelId: string): string => `${hotelId}_cap`;
const nightKey = (hotelId: string, night: readonly [string, string]): string =>
  `${hotelId}_${night[0]}_${night[1]}`;

function remember(key: string, value: number): void {
  cache.set(key, String(value)).catch(() => {
    // A failed cache write only costs the next request a database read.
  });
}

async function capacities(hotelIds: readonly string[]): Promise<Map<string, number>> {
  const cached = await cache.getMulti(hotelIds.map(capKey));
  const caps = new Map<string, number>();
  for (const id of hotelIds) {
    const value = cached.get(capKey(id));
    if (value !== undefined) caps.set(id, Number(value));
  }
  const misses = hotelIds.filter((id) => !caps.has(id));
  if (misses.length > 0)
    for (const doc of await db.find<{ hotelId: string; numberOfRoom: number }>('number', {
      hotelId: { $in: misses },
    })) {
      caps.set(doc.hotelId, doc.numberOfRoom);
      remember(capKey(doc.hotelId), doc.numberOfRoom);
    }
  return caps;
}

/** Rooms already taken for each (hotel, night) key. */
async function taken(
  keys: readonly { key: string; hotelId: string; night: [string, string] }[],
): Promise<Map<string, number>> {
  const cached = await cache.getMulti(keys.map((k) => k.key));
  const counts = new Map<string, number>();
  for (const [key, value] of cached) counts.set(key, Number(value));
  await Promise.all(
    keys
      .filter((k) => !counts.has(k.key))
      .map(async (k) => {
        const found = await db.find<{ number: number }>('reservation', {
          hotelId: k.hotelId,
          inDate: k.night[0],
          outDate: k.night[1],
        });
        const count = found.reduce((sum, r) => sum + Number(r.number), 0);
        counts.set(k.key, count);
        remember(k.key, count);
      }),
  );
  return counts;
}

interface ReservationRequest {
  customerName: string;
  hotelIds: string[];
  inDate: string;
  outDate: string;
  rooms: number;
}

function readRequest(request: Record<string, unknown>): ReservationRequest {
  return {
    customerName: fieldText(request.customerName),
    hotelIds: ((request.hotelId ?? []) as unknown[]).map(String),
    inDate: fieldText(request.inDate),
    outDate: fieldText(request.outDate),
    rooms: Number(request.roomNumber ?? 0),
  };
}

async function checkAvailability(req: ReservationRequest): Promise<string[]> {
  const nights = stayNights(req.inDate, req.outDate);
  const [caps, counts] = await Promise.all([
    capacities(req.hotelIds),
    taken(
      req.hotelIds.flatMap((hotelId) =>
        nights.map((night) => ({ key: nightKey(hotelId, night), hotelId, night })),
      ),
    ),
  ]);
  return req.hotelIds.filter((id) =>
    nights.every((night) => (counts.get(nightKey(id, night)) ?? 0) + req.rooms <= (caps.get(id) ?? 0)),
  );
}

async function makeReservation(req: ReservationRequest): Promise<string[]> {
  const hotelId = req.hotelIds[0];
  const nights = stayNights(req.inDate, req.outDate);
  if (hotelId === undefined || nights.length === 0) return [];
  const [caps, counts] = await Promise.all([
    capacities([hotelId]),
    taken(nights.map((night) => ({ key: nightKey(hotelId, night), hotelId, night }))),
  ]);
  const cap = caps.get(hotelId) ?? 0;
  if (nights.some((night) => (counts.get(nightKey(hotelId, night)) ?? 0) + req.rooms > cap)) return [];
  for (const night of nights)
    remember(nightKey(hotelId, night), (counts.get(nightKey(hotelId, night)) ?? 0) + req.rooms);
  await Promise.all(
    nights.map((night) =>
      db.insert('reservation', {
        hotelId,
        customerName: req.customerName,
        inDate: night[0],
        outDate: night[1],
        number: req.rooms,
      }),
    ),
  );
  return [hotelId];
}

const reservation = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('reservation'),
      service: 'reservation.Reservation',
      methods: {
        async CheckAvailability(request) {
          return { hotelId: await checkAvailability(readRequest(request)) };
        },
        async MakeReservation(request) {
          return { hotelId: await makeReservation(readRequest(request)) };
        },
      },
    },
  ],
});

export default reservation;
