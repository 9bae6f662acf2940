import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { MemoryTraceStore, openTraceStore, SqliteTraceStore } from './index.js';

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
});
