/**
 * Built-in `hotel/memcached`: the app's memcached instances (`memcached-profile`,
 * `memcached-rate`, `memcached-reserve`) as functions: GetMulti / Set over gRPC on an
 * in-memory map, least recently set evicted first past `MEMCACHED_MAX_ITEMS` (default 100 000).
 */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto } from './hop.js';
import { fieldText } from './hotel-logic.js';

const cache = new Map<string, string>();

function maxItems(): number {
  const n = Number(process.env.MEMCACHED_MAX_ITEMS ?? 100_000);
  return Number.isInteger(n) && n > 0 ? n : 100_000;
}

const memcached = defineFunction({
  grpc: [
    {
      protoPath: hotelProto('storage'),
      service: 'storage.Memcached',
      methods: {
        GetMulti(request) {
          const items: Record<string, string> = {};
          for (const key of (request.keys ?? []) as string[]) {
            const value = cache.get(key);
            if (value !== undefined) items[key] = value;
          }
          return { items };
        },
        Set(request) {
          const key = fieldText(request.key);
          if (key === '') throw new Error('Set: expected a key');
          cache.delete(key);
          cache.set(key, fieldText(request.value));
          if (cache.size > maxItems()) cache.delete(cache.keys().next().value!);
          return {};
        },
      },
    },
  ],
});

export default memcached;
