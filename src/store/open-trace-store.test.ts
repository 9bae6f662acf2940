import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSpan } from '../spans/testing/index.js';
import { UserError } from '../errors.js';
import { MemoryTraceStore, openTraceStore, SqliteTraceStore, storeOptionsFromFlag } from './index.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-open-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openTraceStore', () => {
  it('opens a memory store', async () => {
    const store = await openTraceStore({ kind: 'memory' });
    expect(store).toBeInstanceOf(MemoryTraceStore);
    await store.close();
  });

  it('creates the data directory and traces.sqlite inside it', async () => {
    const dataDir = path.join(root, 'a', 'b');
    const store = await openTraceStore({ kind: 'sqlite', dataDir });
    expect(store).toBeInstanceOf(SqliteTraceStore);
    expect(existsSync(path.join(dataDir, 'traces.sqlite'))).toBe(true);
    await store.close();
  });

  it('fails with a UserError naming the directory when it cannot be used', async () => {
    const blocker = path.join(root, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const error: unknown = await openTraceStore({ kind: 'sqlite', dataDir: blocker }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(blocker);
  });

  it('fails with a UserError that hides the password when PostgreSQL is unreachable', async () => {
    const error: unknown = await openTraceStore({
      kind: 'postgres',
      url: 'postgres://lab:secret@127.0.0.1:1/traces',
      connectTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('postgres://lab:***@127.0.0.1:1/traces');
    expect((error as UserError).message).not.toContain('secret');
    expect((error as UserError).hint).toMatch(/PostgreSQL is running/);
  });
});

describe('storeOptionsFromFlag', () => {
  it('reads sqlite, memory and postgres URLs, and refuses anything else', () => {
    expect(storeOptionsFromFlag('sqlite', '/d')).toEqual({ kind: 'sqlite', dataDir: '/d' });
    expect(storeOptionsFromFlag('memory', '/d')).toEqual({ kind: 'memory' });
    expect(storeOptionsFromFlag('postgresql://u:p@db:5432/t?partition=1h', '/d')).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db:5432/t?partition=1h',
    });
    expect(() => storeOptionsFromFlag('mysql://x', '/d')).toThrow(
      /--store must be sqlite, memory or a postgres:\/\/ URL/,
    );
    expect(() => storeOptionsFromFlag('postgres://u@db/t?partition=2w', '/d')).toThrow(
      /partition=2w is not a width such as 1d, 6h or 10m/,
    );
  });

  it('takes SQLite writes to a worker thread with sqlite?writer=thread, and opens such a store', async () => {
    const options = storeOptionsFromFlag('sqlite?writer=thread', path.join(root, 'threaded'));
    expect(options).toEqual({ kind: 'sqlite', dataDir: path.join(root, 'threaded'), writer: 'thread' });
    expect(() => storeOptionsFromFlag('sqlite?writer=fast', '/d')).toThrow(
      '--store: the only SQLite option is writer=inline or writer=thread, got "sqlite?writer=fast"',
    );
    const store = await openTraceStore(options);
    await store.append([makeSpan({})]);
    expect((await store.stats()).spanCount).toBe(1);
    await store.close();
  });
});
