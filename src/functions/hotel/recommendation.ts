/** Built-in `hotel/recommendation`: recommendation.Recommendation/GetRecommendations (dis | rate | price). */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, mongodb } from './hop.js';
import { recommendHotels, type RecommendationHotel } from './hotel-logic.js';
import { once } from './once.js';

const db = mongodb('mongodb-recommendation');
const hotels = once(() => db.find<RecommendationHotel>('recommendation', {}));

const recommendation = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('recommendation'),
      service: 'recommendation.Recommendation',
      methods: {
        async GetRecommendations(request) {
          const ids = recommendHotels(
            await hotels(),
            String(request.require),
            Number(request.lat),
            Number(request.lon),
          );
          return { HotelIds: ids };
        },
      },
    },
  ],
});

export default recommendation;
