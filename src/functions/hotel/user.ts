/** Built-in `hotel/user`: user.User/CheckUser, SHA-256 of the password against mongodb-user's. */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto, mongodb } from './hop.js';
import { once } from './once.js';
import { sha256Hex } from './seed-data.js';

const db = mongodb('mongodb-user');
const users = once(async () => {
  const docs = await db.find<{ username: string; password: string }>('user', {});
  return new Map(docs.map((u) => [u.username, u.password]));
});

const user = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('user'),
      service: 'user.User',
      methods: {
        async CheckUser(request) {
          const stored = (await users()).get(String(request.username));
          return { correct: stored !== undefined && stored === sha256Hex(String(request.password)) };
        },
      },
    },
  ],
});

export default user;
