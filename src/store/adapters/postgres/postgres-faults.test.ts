/**
 * Faults of the database itself, on a private PostgreSQL server: a crash and restart while
 * a collector ingests (refusals are 503 with Retry-After, nothing acknowledged is lost, the
 * collector recovers by itself), and a full disk (a clear error, queries keep working).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../collector/index.js';
import { StoreUnavailableError } from '../../store-errors.js';
import { makeSpan } from '../../../spans/testing/index.js';
import { SUITE_SPAN } from '../../testing/trace-store-contract.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  privatePostgresUnavailableReason,
  startPrivatePostgres,
  type PrivatePostgres,
} from './testing/private-postgres.js';
import { queryOnce } from './testing/pg-query.js';

const SKIP = privatePostgresUnavailableReason();
const traceId = (n: number): string => (0xf0000 + n).toString(16).padStart(16, '0');
const spanId = (n: number): string => (n + 1).toString(16).padStart(16, '0');

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.skipIf(SKIP !== undefined)(`PostgreSQL faults${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.destroy();
  });

  it('the database crashing and restarting under load: 503 + Retry-After meanwhile, every 202 kept', async () => {
    await queryOnce(server.url, 'CREATE DATABASE restart');
    const url = withDatabase(server.url, 'restart');
    const logs: string[] = [];
    const store = await PostgresTraceStore.open({
      url,
      log: (line) => logs.push(line),
      connectTimeoutMs: 1000,
    });
    const collector = await startCollector({
      port: 0,
      otlpPort: null,
      store,
      log: (line) => logs.push(line),
    });
    const acked: string[] = [];
    const statuses = new Map<number, number>();
    let retryAfterMissing = 0;
    let next = 0;
    let stop = false;
    const sender = async (): Promise<void> => {
      while (!stop) {
        const id = traceId(next++);
        const spans = Array.from({ length: 20 }, (_, i) =>
          makeSpan({ ...SUITE_SPAN, traceId: id, id: spanId(i) }),
        );
        const res = await fetch(`${collector.url}/api/v2/spans`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(spans),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 202) acked.push(id);
        else if (res.headers.get('retry-after') === null) retryAfterMissing++;
        else await new Promise((r) => setTimeout(r, 50));
      }
    };
    const waitAcks = async (n: number): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (acked.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      const senders = Array.from({ length: 4 }, sender);
      await waitAcks(30);
      await server.crashRestart(1500);
      const afterRestart = acked.length;
      await waitAcks(afterRestart + 30);
      stop = true;
      await Promise.all(senders);
      expect(acked.length).toBeGreaterThanOrEqual(afterRestart + 30);
      expect([...statuses.keys()].sort()).toEqual([202, 503]);
      expect(retryAfterMissing).toBe(0);
      for (const id of acked) expect((await store.getTrace(id)).length, id).toBe(20);
      expect(logs.some((l) => /unreachable or restarting/.test(l))).toBe(true);
    } finally {
      stop = true;
      await collector.close();
    }
  }, 120_000);

  it('a full disk: a clear error naming it, and queries keep working', async (context) => {
    const mount = path.join(server.dir, 'small');
    mkdirSync(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mount]);
    } catch (error) {
      if (process.env['CI']) throw error;
      context.skip(`cannot mount a small tmpfs here: ${(error as Error).message}`);
    }
    const owner = statSync(server.dir);
    chownSync(mount, owner.uid, owner.gid);
    const store = { current: undefined as PostgresTraceStore | undefined };
    try {
      await queryOnce(server.url, `CREATE TABLESPACE small LOCATION '${mount}'`);
      // The catalogs stay on the big disk; hivelab's tables go to the small one.
      await queryOnce(server.url, 'CREATE DATABASE full_disk');
      await queryOnce(server.url, 'ALTER DATABASE full_disk SET default_tablespace = small');
      store.current = await PostgresTraceStore.open({ url: withDatabase(server.url, 'full_disk') });
      await store.current.append([makeSpan({ ...SUITE_SPAN, traceId: traceId(0), id: spanId(0) })]);
      let error: unknown;
      for (let b = 1; b < 400 && error === undefined; b++) {
        const spans = Array.from({ length: 200 }, (_, i) =>
          // Incompressible: the rows of a trace's spans are long enough to be compressed.
          makeSpan({
            ...SUITE_SPAN,
            traceId: traceId(b),
            id: spanId(i),
            annotations: [{ timestamp: SUITE_SPAN.timestamp, value: randomBytes(250).toString('hex') }],
          }),
        );
        error = await store.current.append(spans).then(
          () => undefined,
          (e: unknown) => e,
        );
      }
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/out of disk space/);
      expect((error as StoreUnavailableError).hint).toMatch(/free disk space/);
      expect(await store.current.getTrace(traceId(0))).toHaveLength(1);
      expect((await store.current.serviceNames()).length).toBe(1);
    } finally {
      await store.current?.close();
      await queryOnce(server.url, 'DROP DATABASE IF EXISTS full_disk').catch(() => undefined);
      await queryOnce(server.url, 'DROP TABLESPACE IF EXISTS small').catch(() => undefined);
      execFileSync('umount', ['-l', mount]);
    }
  }, 120_000);
});
