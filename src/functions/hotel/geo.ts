/** Built-in `hotel/geo`: geo.Geo/Nearby, the 5 nearest hotels within 10 km, from mongodb-geo. */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, mongodb } from './hop.js';
import { nearbyHotels, type GeoPoint } from './hotel-logic.js';
import { once } from './once.js';

const db = mongodb('mongodb-geo');
// Loaded on the first request (DeathStarBench builds its index at start): deploy order free.
const points = once(() => db.find<GeoPoint>('geo', {}));

const geo = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('geo'),
      service: 'geo.Geo',
      methods: {
        async Nearby(request) {
          return { hotelIds: nearbyHotels(await points(), Number(request.lat), Number(request.lon)) };
        },
      },
    },
  ],
});

export default geo;
