/** Built-in `hotel/profile`: profile.Profile/GetProfiles, memcached-profile in front of mongodb-profile. */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, memcached, mongodb } from './hop.js';

type Hotel = Record<string, unknown> & { id: string };

const cache = memcached('memcached-profile');
const db = mongodb('mongodb-profile');

async function getProfiles(hotelIds: readonly string[]): Promise<Hotel[]> {
  const cached = await cache.getMulti(hotelIds);
  const byId = new Map<string, Hotel>();
  for (const [id, value] of cached) byId.set(id, JSON.parse(value) as Hotel);
  const misses = hotelIds.filter((id) => !cached.has(id));
  if (misses.length > 0) {
    for (const hotel of await db.find<Hotel>('hotels', { id: { $in: misses } })) {
      byId.set(hotel.id, hotel);
      cache.set(hotel.id, JSON.stringify(hotel)).catch(() => {
        // A failed cache write only costs the next request a database read.
      });
    }
  }
  return hotelIds.flatMap((id) => byId.get(id) ?? []);
}

const profile = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('profile'),
      service: 'profile.Profile',
      methods: {
        async GetProfiles(request) {
          return { hotels: await getProfiles((request.hotelIds ?? []) as string[]) };
        },
      },
    },
  ],
});

export default profile;
