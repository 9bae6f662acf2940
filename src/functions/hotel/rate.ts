/**
 * Built-in `hotel/rate`: rate.Rate/GetRates. Plans come from memcached-rate (a value per
 * hotel: its plans as JSON lines), misses from mongodb-rate (then cached); highest total rate first.
 */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, memcached, mongodb } from './hop.js';
import { sortRatePlans, type RatePlan } from './hotel-logic.js';

const cache = memcached('memcached-rate');
const db = mongodb('mongodb-rate');

async function getRates(hotelIds: readonly string[]): Promise<RatePlan[]> {
  const cached = await cache.getMulti(hotelIds);
  const plans: RatePlan[] = [];
  for (const value of cached.values())
    for (const line of value.split('\n')) if (line !== '') plans.push(JSON.parse(line) as RatePlan);
  const misses = hotelIds.filter((id) => !cached.has(id));
  const loaded = await Promise.all(misses.map((hotelId) => db.find<RatePlan>('inventory', { hotelId })));
  loaded.forEach((found, i) => {
    plans.push(...found);
    cache.set(misses[i]!, found.map((p) => `${JSON.stringify(p)}\n`).join('')).catch(() => {
      // A failed cache write only costs the next request a database read.
    });
  });
  return sortRatePlans(plans);
}

const rate = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('rate'),
      service: 'rate.Rate',
      methods: {
        async GetRates(request) {
          return { ratePlans: await getRates((request.hotelIds ?? []) as string[]) };
        },
      },
    },
  ],
});

export default rate;
