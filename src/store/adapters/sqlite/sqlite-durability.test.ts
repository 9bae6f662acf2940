/**
 * An appended span must survive a kill -9 of the process once `append` has resolved. A
 * child process (the built store under dist/) appends and reports each acknowledged batch;
 * we kill it mid-stream and read the file back.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { distPath } from '../../../package-root.js';
import { SqliteTraceStore } from './sqlite-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'hivelab-sqlite-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const traceIdOf = (batch: number): string => (0x10000 + batch).toString(16).padStart(16, '0');

const CHILD = `
const { SqliteTraceStore } = await import(process.argv[1]);
const store = await SqliteTraceStore.open({ dataDir: process.argv[2], writer: process.argv[3] });
for (let b = 0; ; b++) {
  const traceId = (0x10000 + b).toString(16).padStart(16, '0');
  const spans = Array.from({ length: 100 }, (_, i) => ({
    traceId, id: (i + 1).toString(16).padStart(16, '0'), name: 'op', timestamp: 1700000000000000 + b,
    duration: 10, localEndpoint: { serviceName: 'svc' } }));
  // Two appends in flight at once, as a collector would have.
  await Promise.all([store.append(spans.slice(0, 50)), store.append(spans.slice(50))]);
  process.stdout.write('acked ' + b + '\\n');
}
`;

it.each(['inline', 'thread'])('keeps every acknowledged span after kill -9 (%s writer)', async (writer) => {
  const dataDir = path.join(root, writer);
  const storeUrl = pathToFileURL(distPath('store', 'adapters', 'sqlite', 'sqlite-store.js')).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, storeUrl, dataDir, writer], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lastAcked = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    let last = -1;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const match of buffer.matchAll(/acked (\d+)\n/g)) last = Number(match[1]);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (last >= 50) {
        child.kill('SIGKILL');
        resolve(last);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${String(code)}): ${stderr}`));
    });
  });
  await new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

  const store = await SqliteTraceStore.open({ dataDir });
  try {
    for (let b = 0; b <= lastAcked; b++) {
      expect((await store.getTrace(traceIdOf(b))).length, `batch ${b}`).toBe(100);
    }
    expect((await store.stats()).spanCount).toBeGreaterThanOrEqual((lastAcked + 1) * 100);
  } finally {
    await store.close();
  }
});
