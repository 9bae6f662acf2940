/**
 * The app's gRPC hops: a service of another function by its DeathStarBench name
 * (`geo`, `memcached-rate`, …), reached through the gateway by its cluster-local name, with
 * the invocation's trace context. Addresses can be moved with `<NAME>_ADDR` (e.g.
 * `GEO_ADDR=geo.hotel.svc.cluster.local:80`), as DeathStarBench's config.json does.
 */
import path from 'node:path';
import { packageRoot } from '../../package-root.js';
import { nextHop, type NextHop } from '../video-analytics/next-hop.js';

/** `proto/hotel/<file>.proto`. */
export function hotelProto(file: string): string {
  return path.join(packageRoot, 'proto', 'hotel', `${file}.proto`);
}

export type Reply = Record<string, unknown>;

/** A remote service, each unary method called by name. */
export interface Hop {
  call(method: string, request: Record<string, unknown>): Promise<Reply>;
}

/** Pure: the address of a function from the environment, else its own name. */
export function addressOf(name: string, env: NodeJS.ProcessEnv): string {
  return env[`${name.toUpperCase().replace(/-/g, '_')}_ADDR`] ?? name;
}

/** Lazily connects, one channel per method (grpc-js reuses the connection to the gateway). */
export function hop(target: string, protoFile: string, service: string): Hop {
  const methods = new Map<string, NextHop>();
  return {
    call(method, request) {
      let client = methods.get(method);
      if (!client) {
        client = nextHop({
          protoPath: hotelProto(protoFile),
          service,
          method,
          addr: addressOf(target, process.env),
        });
        methods.set(method, client);
      }
      return client.call(request);
    },
  };
}

/** A memcached stand-in: `getMulti` answers the keys it has. */
export function memcached(target: string): {
  getMulti(keys: readonly string[]): Promise<Map<string, string>>;
  set(key: string, value: string): Promise<void>;
} {
  const remote = hop(target, 'storage', 'storage.Memcached');
  return {
    async getMulti(keys) {
      if (keys.length === 0) return new Map();
      const reply = await remote.call('GetMulti', { keys: [...keys] });
      return new Map(Object.entries((reply.items ?? {}) as Record<string, string>));
    },
    async set(key, value) {
      await remote.call('Set', { key, value });
    },
  };
}

/** A MongoDB stand-in: `find` with an equality / `$in` filter, `insert` of one document. */
export function mongodb(target: string): {
  find<T>(collection: string, filter: Record<string, unknown>): Promise<T[]>;
  insert(collection: string, document: Record<string, unknown>): Promise<void>;
} {
  const remote = hop(target, 'storage', 'storage.MongoDB');
  return {
    async find<T>(collection: string, filter: Record<string, unknown>) {
      const reply = await remote.call('Find', { collection, filter: JSON.stringify(filter) });
      return ((reply.documents ?? []) as string[]).map((d) => JSON.parse(d) as T);
    },
    async insert(collection, document) {
      await remote.call('Insert', { collection, document: JSON.stringify(document) });
    },
  };
}
