/**
 * Acknowledged means committed, with PostgreSQL too: the built CLI (`hivelab collector
 * --store postgres://…`) takes batches, every batch answered 202 is recorded, the collector
 * is SIGKILLed mid-stream, and every acknowledged span must be in the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../package-root.js';
import { makeSpan } from '../../../spans/testing/index.js';
import { SUITE_SPAN } from '../../testing/trace-store-contract.js';
import { PostgresTraceStore } from './postgres-store.js';
import {
  createTestDatabase,
  PG_SKIP_REASON,
  pgSuiteName,
  type TestDatabase,
} from './testing/pg-test-database.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startCli(storeUrl: string): Promise<{ child: ChildProcess; url: string; ready: string }> {
  const args = ['collector', '--port', '0', '--otlp-port', 'none', '--store', storeUrl];
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'hivelab.js'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /collector ready: Zipkin (http:\/\/[^/]+)\/api\/v2\/spans.*/.exec(out);
      if (m) resolve({ child, url: m[1]!, ready: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code} before ready: ${out}`)));
  });
}

describe.skipIf(PG_SKIP_REASON !== undefined)(pgSuiteName('hivelab collector --store postgres://'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps every acknowledged span across a SIGKILL of the collector', async () => {
    const cli = await startCli(db.url);
    expect(cli.ready).toContain(', data postgres://hivelab_test:***@');
    const acked: string[] = [];
    let next = 0;
    let stop = false;
    const sender = async (): Promise<void> => {
      while (!stop) {
        const traceId = (0xd00000 + next++).toString(16).padStart(16, '0');
        const spans = Array.from({ length: 50 }, (_, i) =>
          makeSpan({
            ...SUITE_SPAN,
            traceId,
            id: (i + 1).toString(16).padStart(16, '0'),
            timestamp: Date.now() * 1000,
          }),
        );
        try {
          const res = await fetch(`${cli.url}/api/v2/spans`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(spans),
          });
          if (res.status === 202) acked.push(traceId);
        } catch {
          return; // the collector is gone
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 5));
    cli.child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    const store = await PostgresTraceStore.open({ url: db.url });
    try {
      const traces = await store.getTraces(acked);
      expect(traces.length).toBe(acked.length);
      for (const trace of traces) expect(trace).toHaveLength(50);
    } finally {
      await store.close();
    }
  }, 90_000);
});
