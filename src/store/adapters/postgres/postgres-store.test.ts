import { afterAll, beforeAll, describe } from 'vitest';
import { runTraceStoreContract } from '../../testing/trace-store-contract.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  resetTestDatabase,
  type TestDatabase,
} from './testing/pg-test-database.js';

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('PostgresTraceStore'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  // One-minute partitions, so retention by age and size can drop whole partitions at the
  // suite's scale (hours and seconds); the default is a day.
  runTraceStoreContract({
    name: 'postgres',
    make: async () => {
      await resetTestDatabase(db.url);
      return PostgresTraceStore.open({ url: db.url, partitionMs: 60_000 });
    },
    skip: PG_SKIP_REASON,
  });
});
