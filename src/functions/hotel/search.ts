/** Built-in `hotel/search`: search.Search/Nearby = geo.Nearby, then rate.GetRates of those hotels. */
import { defineFunction } from '../../sdk/index.js';
import { hop, hotelProto } from './hop.js';

const geo = hop('geo', 'geo', 'geo.Geo');
const rate = hop('rate', 'rate', 'rate.Rate');

const search = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('search'),
      service: 'search.Search',
      methods: {
        async Nearby(request) {
          const nearby = await geo.call('Nearby', { lat: request.lat, lon: request.lon });
          const rates = await rate.call('GetRates', {
            hotelIds: nearby.hotelIds ?? [],
            inDate: request.inDate,
            outDate: request.outDate,
          });
          return { hotelIds: ((rates.ratePlans ?? []) as { hotelId: string }[]).map((p) => p.hotelId) };
        },
      },
    },
  ],
});

export default search;
