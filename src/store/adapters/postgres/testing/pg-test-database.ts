/**
 * Test support: a throw-away PostgreSQL database per test file on the server named by
 * `HIVELAB_TEST_PG_URL` (default: the role `.ci/run` creates on the local PostgreSQL 15).
 * Without a reachable server the tests are skipped with the reason, except under CI
 * (`CI` set), where that is a failure: the suite must run there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { queryOnce } from './pg-query.js';

export { queryOnce };

/** The server and role the tests use; `.ci/run` creates this role. */
export const PG_TEST_URL =
  process.env['HIVELAB_TEST_PG_URL'] ?? 'postgres://hivelab_test:hivelab_test@127.0.0.1:5432/postgres';

/** Why PostgreSQL tests cannot run here, or undefined when they can. Throws under CI. */
export async function pgUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const reason =
      `no PostgreSQL at ${PG_TEST_URL.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}); ` +
      'start it with `pg_ctlcluster 15 main start` and create the role as .ci/run does, or set HIVELAB_TEST_PG_URL';
    if (process.env['CI']) {
      throw new Error(`PostgreSQL tests cannot be skipped under CI: ${reason}`, { cause: error });
    }
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Set when this machine has no PostgreSQL for the tests (computed once per test file). */
export const PG_SKIP_REASON: string | undefined = await pgUnavailableReason();

/** A suite name that carries the skip reason, so a skipped run says why. */
export function pgSuiteName(name: string): string {
  return PG_SKIP_REASON === undefined ? name : `${name} (skipped: ${PG_SKIP_REASON})`;
}

/** A database created for one test file. */
export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, ending its connections. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The URL of `PG_TEST_URL`'s server with another database name (and optionally role). */
export function urlFor(database: string, role?: { user: string; password: string }): string {
  const url = new URL(PG_TEST_URL);
  url.pathname = `/${database}`;
  if (role !== undefined) {
    url.username = role.user;
    url.password = role.password;
  }
  return url.toString();
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hivelab_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: urlFor(name),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Empties a test database: drops hivelab's schema (and everything in it). */
export async function resetTestDatabase(url: string): Promise<void> {
  await queryOnce(url, 'DROP SCHEMA IF EXISTS hivelab CASCADE');
}
