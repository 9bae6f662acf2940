/**
 * Built-in `hotel/mongodb`: the app's MongoDB instances (`mongodb-geo`, `mongodb-rate`, …)
 * as functions. `HOTEL_DB` names the database; it starts with DeathStarBench's seed data
 * (seed-data.ts) and keeps what is inserted for the instance's life (run it with
 * min-scale = max-scale = 1, as the shipped manifests do).
 */
import { defineFunction } from '../../sdk/index.js';
import { hotelProto } from './hop.js';
import { fieldText, matchesFilter } from './hotel-logic.js';
import { DATABASE_NAMES, seedDatabase, type DatabaseName } from './seed-data.js';

type Document = Record<string, unknown>;

let collections: Map<string, Document[]> | undefined;

function database(): Map<string, Document[]> {
  if (collections) return collections;
  const name = process.env.HOTEL_DB ?? '';
  if (!(DATABASE_NAMES as readonly string[]).includes(name))
    throw new Error(`HOTEL_DB: expected one of ${DATABASE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  collections = new Map(
    Object.entries(seedDatabase(name as DatabaseName)).map(([collection, docs]) => [
      collection,
      docs.map((d) => ({ ...d })),
    ]),
  );
  return collections;
}

function parseJsonObject(text: unknown, what: string): Document {
  const parsed: unknown = JSON.parse(typeof text === 'string' && text !== '' ? text : '{}');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${what}: expected a JSON object`);
  return parsed as Document;
}

const mongodb = defineFunction({
  init() {
    database();
  },
  grpc: [
    {
      protoPath: hotelProto('storage'),
      service: 'storage.MongoDB',
      methods: {
        Find(request) {
          const filter = parseJsonObject(request.filter, 'Find filter');
          const docs = database().get(fieldText(request.collection)) ?? [];
          return { documents: docs.filter((d) => matchesFilter(d, filter)).map((d) => JSON.stringify(d)) };
        },
        Insert(request) {
          const collection = fieldText(request.collection);
          if (collection === '') throw new Error('Insert: expected a collection');
          const doc = parseJsonObject(request.document, 'Insert document');
          const db = database();
          let docs = db.get(collection);
          if (!docs) db.set(collection, (docs = []));
          docs.push(doc);
          return {};
        },
      },
    },
  ],
});

export default mongodb;
