/**
 * Acknowledged means durable: the built CLI (`node bin/hivelab.js collector`) takes
 * batches; every batch answered 202 is recorded; the process is killed with SIGKILL while
 * more batches are in flight; a new collector on the same data directory must return
 * every acknowledged span. Needs the build (`npx tsc -p tsconfig.json`), as `npm test` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import type { Span } from '../spans/index.js';
import { makeSpan, uniqueHexId } from '../spans/testing/index.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-collector-kill-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the CLI collector and resolves to its base URL, read from the ready line. */
function startCli(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      path.join(packageRoot, 'bin', 'hivelab.js'),
      'collector',
      '--port',
      '0',
      '--otlp-port',
      'none',
      '--data',
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /collector ready: Zipkin (http:\/\/[^/]+)\/api\/v2\/spans/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code} before ready: ${out}${err}`)));
  });
}

describe('kill -9 durability', () => {
  it('keeps every acknowledged span across a SIGKILL', async () => {
    const first = await startCli();
    const acknowledged: Span[][] = [];
    let stop = false;
    const sender = async (): Promise<void> => {
      while (!stop) {
        const traceId = `${uniqueHexId()}${uniqueHexId()}`;
        const batch = Array.from({ length: 50 }, () => makeSpan({ traceId }));
        try {
          const res = await fetch(`${first.url}/api/v2/spans`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(batch),
          });
          if (res.status === 202) acknowledged.push(batch);
        } catch {
          return; // the collector is gone
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 5));
    // Kill while the senders still have batches in flight.
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    const killedAfter = acknowledged.length;
    expect(killedAfter).toBeGreaterThanOrEqual(40);

    const second = await startCli();
    for (let i = 0; i < acknowledged.length; i += 20) {
      const group = acknowledged.slice(i, i + 20);
      const ids = group.map((b) => b[0]!.traceId).join(',');
      const res = await fetch(`${second.url}/api/v2/traceMany?traceIds=${ids}`);
      expect(res.status).toBe(200);
      const traces = (await res.json()) as Span[][];
      const stored = new Map(traces.map((t) => [t[0]!.traceId, new Set(t.map((s) => s.id))]));
      for (const batch of group) {
        const ids = stored.get(batch[0]!.traceId);
        expect(ids, `acknowledged trace ${batch[0]!.traceId} is missing`).toBeDefined();
        for (const span of batch) expect(ids!.has(span.id)).toBe(true);
      }
    }
    second.child.kill('SIGTERM');
    const code = await new Promise((resolve) => second.child.on('exit', resolve));
    expect(code).toBe(0);
  });
});
