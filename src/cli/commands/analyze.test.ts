import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTraceSummarizer } from '../../analysis/index.js';
import { syntheticTrace } from '../../analysis/testing/index.js';
import { packageRoot } from '../../package-root.js';
import { SqliteTraceStore } from '../../store/index.js';

// Runs the built CLI (`npm run build` first, as `npm test` does) over a SQLite store made
// here with the analyzer's summaries kept at ingest, as `hivelab collector` keeps them.
const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');
const WINDOW = ['--start', '2025-12-31T00:00:00Z', '--end', '2026-01-02T00:00:00Z'];
let dir: string;
const planted = syntheticTrace(17)[0]!.traceId;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-analyze-cli-'));
  const store = await SqliteTraceStore.open({ dataDir: dir, summarizer: createTraceSummarizer() });
  for (let i = 0; i < 60; i++) {
    await store.append(syntheticTrace(i, undefined, i === 17 ? { dbSlowUs: 5000 } : {}));
  }
  await store.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  return (await run(process.execPath, [bin, 'analyze', ...args, '--data', dir, ...WINDOW])).stdout;
}

describe('hivelab analyze over --data', () => {
  it('anomalies --with-types gives both reports from one pass, equal to the separate commands', async () => {
    const [types, anomalies, both] = await Promise.all([
      cli('types', '--format', 'json'),
      cli('anomalies', '--format', 'json'),
      cli('anomalies', '--with-types', '--format', 'json'),
    ]);
    const t = JSON.parse(types) as { types: { key: string; count: number }[] };
    const a = JSON.parse(anomalies) as { anomalies: { traceId: string; culprit: { service: string } }[] };
    expect(t.types.map((x) => x.count)).toEqual([60]);
    expect(a.anomalies[0]?.traceId).toBe(planted);
    expect(a.anomalies[0]?.culprit.service).toBe('db');
    expect(JSON.parse(both)).toEqual({ ...t, ...a });
  }, 60_000);

  it('prints both tables, and refuses --with-types in window mode naming the flag', async () => {
    const text = await cli('anomalies', '--with-types');
    expect(text).toContain('gw:get /x');
    expect(text).toContain(planted);
    const refused = run(process.execPath, [
      bin,
      'analyze',
      'anomalies',
      '--with-types',
      '--data',
      dir,
      '--baseline',
      '2026-01-01T00:00:00Z..2026-01-01T00:00:00.3Z',
      '--window',
      '2026-01-01T00:00:00.3Z..2026-01-01T00:00:00.6Z',
    ]);
    await expect(refused).rejects.toMatchObject({ stderr: expect.stringContaining('--with-types') });
  }, 60_000);
});
