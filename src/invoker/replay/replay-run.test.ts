import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type LoopbackServer } from '../testing/loopback-servers.js';
import { planReplay } from './replay-plan.js';
import { durationNote, formatReplayCsv, REPLAY_CSV_HEADER, summarizeReplay } from './replay-records.js';
import { readAzureTrace, runReplay } from './replay-run.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function writeTrace(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-replay-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    path.join(dir, 'invocations.csv'),
    'HashOwner,HashApp,HashFunction,Trigger,1,2\no,a,f1,http,3,5\no,a,f2,timer,2,0\no,a,f3,http,9,9\n',
  );
  await writeFile(
    path.join(dir, 'durations.csv'),
    'HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\n' +
      'o,a,f1,10,8,5,20,5,5,8,10,12,19,20\no,a,f2,3,2,3,3,3,3,3,3,3,3,3\n',
  );
  await writeFile(
    path.join(dir, 'memory.csv'),
    'HashOwner,HashApp,HashFunction,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n' +
      'o,a,f1,4,30,20,20,25,30,35,40,40,40\no,a,f2,4,16,16,16,16,16,16,16,16,16\no,a,f3,1,1,1,1,1,1,1,1,1,1\n',
  );
  return dir;
}

describe('replay shell against a loopback stand-in for trace-func', () => {
  it('deploys each traced function, fires every planned invocation with its duration and memory, and reports rows', async () => {
    // The stand-in echoes the JSON body, i.e. reports it did exactly what was asked.
    const server: LoopbackServer = await startHttpServer({ responseHeaders: { 'x-hivelab-cold': '0' } });
    cleanups.push(() => server.close());
    const trace = await readAzureTrace(await writeTrace());
    const plan = planReplay(trace, { durationMin: 1, warmupMin: 1, seed: 5, distribution: 'uniform' });
    expect(plan.skipped).toEqual([{ key: 'o/a/f3', missingIn: ['durations.csv'] }]);
    const deployed: string[] = [];
    const result = await runReplay({
      plan,
      gatewayUrl: `http://127.0.0.1:${server.port}`,
      timeoutMs: 5000,
      speedup: 200, // two minutes in 0.6 s
      deploy: (fn) => {
        deployed.push(fn.name);
        return Promise.resolve({ url: `http://${fn.name}.default.localhost:${server.port}` });
      },
    });
    expect(deployed.sort()).toEqual(['trace-func-0', 'trace-func-1']);
    expect(result.records.length).toBe(10);
    const hosts = server.received.map((r) => r.authority);
    expect(hosts.filter((h) => h === 'trace-func-0.default.localhost').length).toBe(8);
    expect(hosts.filter((h) => h === 'trace-func-1.default.localhost').length).toBe(2);
    for (const r of server.received) {
      const body = JSON.parse(r.body) as { durationMs: number; memoryMb: number };
      expect(body.durationMs).toBeGreaterThanOrEqual(3);
      expect(body.memoryMb).toBeGreaterThanOrEqual(16);
    }

    const rows = formatReplayCsv(plan, result.records, result.startEpochMs).trimEnd().split('\n');
    expect(rows[0]).toBe(REPLAY_CSV_HEADER);
    expect(rows.length).toBe(11);
    const f2Row = rows.find((row) => row.includes(',trace-func-1,'))!.split(',');
    // phase, function, hash, id, scheduled, start, req dur, actual dur, req mem, actual mem, response, cold, ok
    expect(f2Row[0]).toBe('1');
    expect([f2Row[6], f2Row[7], f2Row[8], f2Row[9], f2Row[11], f2Row[12]]).toEqual([
      '3',
      '3',
      '16',
      '16',
      '0',
      '1',
    ]);

    const summary = summarizeReplay(plan, result.records);
    expect(summary).toMatchObject({
      functions: 2,
      skippedFunctions: 1,
      warmup: { invocations: 5, ok: 5 },
      measured: { invocations: 5, ok: 5 },
      failuresByFunction: {},
    });
    // The loopback server answers what was asked: every execution within tolerance.
    expect(summary.work.map((w) => [w.function, w.invocations, w.withinTolerance])).toEqual([
      ['trace-func-0', 8, 8],
      ['trace-func-1', 2, 2],
    ]);
  });

  it('counts failures per function and kind', async () => {
    const server = await startHttpServer({ status: 500 });
    cleanups.push(() => server.close());
    const plan = planReplay(await readAzureTrace(await writeTrace()), { durationMin: 1, seed: 1 });
    const result = await runReplay({
      plan,
      gatewayUrl: `http://127.0.0.1:${server.port}`,
      timeoutMs: 5000,
      speedup: 200,
      deploy: (fn) => Promise.resolve({ url: `http://${fn.name}.default.localhost` }),
    });
    const summary = summarizeReplay(plan, result.records);
    expect(summary.measured.errors.status).toBe(5);
    expect(summary.failuresByFunction).toEqual({ 'trace-func-0': 3, 'trace-func-1': 2 });
  });

  it.each([
    [20, { durationMs: 20.4 }, ''],
    [20, { durationMs: 20.9, touchMs: 3 }, ''],
    [0, { durationMs: 0.3 }, ''],
    [20, { durationMs: 126, touchMs: 104.2 }, 'memory touch alone took 104.2 ms'],
    [20, { durationMs: 30, touchMs: 2 }, 'executed 30.0 ms (+50 %)'],
  ])('notes why %d ms requested ran as %j: %j', (requested, actual, note) => {
    expect(durationNote(requested, actual)).toBe(note);
  });

  it('names the missing trace file', async () => {
    await expect(readAzureTrace('/nonexistent-hivelab-trace')).rejects.toThrow(
      /error while reading the trace file \/nonexistent-hivelab-trace\/(invocations|durations|memory)\.csv/,
    );
  });
});
