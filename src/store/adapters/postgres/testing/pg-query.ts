/** A statement for tests, on its own connection to any server (no other side effects). */
import pg from 'pg';

/** One statement on a connection of its own (the test's view from outside the store). */
export async function queryOnce(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
