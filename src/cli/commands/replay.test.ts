import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../platform/index.js';
import { packageRoot } from '../../package-root.js';

// Runs the built CLI (`npx tsc -p tsconfig.json` first, as `npm test` does) against a
// platform started in this process.
const run = promisify(execFile);
const bin = path.join(packageRoot, 'bin', 'hivelab.js');
let platform: RunningPlatform;
let dir: string;

const DURATIONS_HEAD =
  'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100';
const MEMORY_HEAD =
  'HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100';

beforeAll(async () => {
  platform = await startPlatform({ port: 0 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-replay-cli-'));
  await writeFile(
    path.join(dir, 'invocations.csv'),
    'HashOwner,HashApp,HashFunction,Trigger,1,2\nown,app,fa,http,1,3\nown,app,fb,queue,2,1\n',
  );
  await writeFile(
    path.join(dir, 'durations.csv'),
    `${DURATIONS_HEAD}\nown,app,fa,10,5,5,15,5,5,8,10,12,15,15\nown,app,fb,2,3,2,2,2,2,2,2,2,2,2\n`,
  );
  await writeFile(
    path.join(dir, 'memory.csv'),
    `${MEMORY_HEAD}\nown,app,fa,3,10,4,4,6,10,12,16,16,16\nown,app,fb,3,4,4,4,4,4,4,4,4,4\n`,
  );
});
afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

describe('hivelab replay (built CLI)', () => {
  it('replays warm-up and measured minutes on the platform and writes rows and a summary', async () => {
    const out = path.join(dir, 'out');
    const { stdout } = await run(
      process.execPath,
      [
        bin,
        'replay',
        '--trace',
        dir,
        '--duration',
        '1',
        '--warmup',
        '1',
        '--gateway',
        platform.url,
        '--speedup',
        '30',
        '--seed',
        '4',
        '--out',
        out,
        '--json',
      ],
      { cwd: dir },
    );
    const summary = JSON.parse(stdout) as {
      functions: number;
      warmup: { invocations: number; ok: number };
      measured: { invocations: number; ok: number };
    };
    expect(summary).toMatchObject({
      functions: 2,
      warmup: { invocations: 3, ok: 3 },
      measured: { invocations: 4, ok: 4 },
    });
    const rows = (await readFile(path.join(out, 'replay.csv'), 'utf8')).trimEnd().split('\n');
    expect(rows.length).toBe(8);
    expect(
      rows
        .slice(1)
        .map((r) => r.split(',')[0])
        .sort(),
    ).toEqual(['1', '1', '1', '2', '2', '2', '2']);
    for (const row of rows.slice(1)) {
      const cells = row.split(',');
      expect(Number(cells[7])).toBeGreaterThanOrEqual(Number(cells[6])); // actual >= requested duration
      expect(cells[9]).toBe(cells[8]); // memory touched as requested
    }
  }, 90_000);

  it('reports a bad CSV cell with file, line and column', async () => {
    const bad = path.join(dir, 'bad');
    await run('mkdir', ['-p', bad]);
    await writeFile(
      path.join(bad, 'invocations.csv'),
      'HashOwner,HashApp,HashFunction,Trigger,1\nown,app,fa,http,many\n',
    );
    await writeFile(path.join(bad, 'durations.csv'), `${DURATIONS_HEAD}\n`);
    await writeFile(path.join(bad, 'memory.csv'), `${MEMORY_HEAD}\n`);
    const failure = await run(process.execPath, [
      bin,
      'replay',
      '--trace',
      bad,
      '--duration',
      '1',
      '--gateway',
      platform.url,
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      `${path.join(bad, 'invocations.csv')}:2:5 (column "1"): expected a non-negative integer, got "many"`,
    );
  });

  it('refuses a missing --duration naming the flag', async () => {
    const failure = await run(process.execPath, [bin, 'replay', '--trace', dir]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/--duration/);
  });
});
