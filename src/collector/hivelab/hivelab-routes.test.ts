/**
 * `/api/hivelab/runs` and the platform link over a real collector: validation naming the
 * field, the invoker's own registration (`registerRun`), persistence across a restart in
 * `runs.jsonl`, and the platform proxy: 503 before `setPlatformUrl`, a real platform's
 * admin API after, 503 again once it stops.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- API answers are checked field by field. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { latencyBuckets, registerRun, runRegistration, type RequestRecord } from '../../invoker/index.js';
import { startPlatform } from '../../platform/index.js';
import { startCollector, type RunningCollector } from '../index.js';

const open: { collector?: RunningCollector; dir?: string } = {};

afterEach(async () => {
  await open.collector?.close();
  if (open.dir) await rm(open.dir, { recursive: true, force: true });
  open.collector = undefined;
  open.dir = undefined;
});

async function collectorIn(dir: string): Promise<RunningCollector> {
  open.collector = await startCollector({ port: 0, otlpPort: null, dataDir: dir, log: () => {} });
  return open.collector;
}

function record(index: number, latencyMs: number, ok = true): RequestRecord {
  return {
    index,
    endpoint: 'helloworld-0',
    scheduledMs: index * 10,
    sentMs: index * 10,
    completedMs: index * 10 + latencyMs,
    outcome: ok ? { ok: true, cold: index === 0 } : { ok: false, errorKind: 'timeout', errorMessage: 'slow' },
    traceId: '',
  } as RequestRecord;
}

function fakeResult(runId: string): Parameters<typeof runRegistration>[0] {
  const records = [record(0, 120), record(1, 2), record(2, 2.2), record(3, 3), record(4, 5, false)];
  const p = {
    count: 4,
    min: 2000,
    mean: 31_800,
    p50: 2200,
    p90: 120_000,
    p99: 120_000,
    p999: 120_000,
    max: 120_000,
  };
  return {
    records,
    startEpochMs: Date.now() - 1000,
    summary: {
      runId,
      seed: 1,
      targetRps: 100,
      plannedDurationS: 0.05,
      issued: 5,
      completed: 4,
      failed: 1,
      errors: { timeout: 1, refused: 0, status: 0, other: 0 },
      cold: 1,
      achievedRps: 80,
      sendRps: 100,
      latencyFromScheduledUs: p,
      latencyFromSendUs: p,
      latenessUs: p,
      lateSends: 0,
      self: { cpuPercent: 1, eventLoopP99Ms: 0.1, maxEventLoopMs: 0.2 } as any,
    },
  };
}

describe('latencyBuckets', () => {
  it('puts latencies in log-spaced buckets, ascending, each value under its bound', () => {
    const buckets = latencyBuckets([1050, 1100, 2000, 120_000]);
    expect(buckets.map((b) => b.count)).toEqual([2, 1, 1]);
    expect(buckets[0]!.upperUs).toBeGreaterThanOrEqual(1100);
    expect(buckets[0]!.upperUs).toBeLessThan(1130);
    expect(buckets[2]!.upperUs).toBeGreaterThanOrEqual(120_000);
  });
});

describe('/api/hivelab/runs', () => {
  it('registers an invoker run and keeps it across a restart', async () => {
    open.dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-runs-'));
    let collector = await collectorIn(open.dir);
    const registration = runRegistration(fakeResult('run-a'), {
      protocol: 'grpc',
      endpoints: ['helloworld-0'],
    });
    expect(await registerRun(`${collector.url}/api/hivelab/runs`, registration)).toBeUndefined();
    const list = (await (await fetch(`${collector.url}/api/hivelab/runs`)).json()) as any;
    expect(list.runs).toHaveLength(1);
    expect(list.runs[0]).toMatchObject({
      runId: 'run-a',
      protocol: 'grpc',
      summary: { issued: 5, completed: 4 },
    });
    expect(list.runs[0].histogram.reduce((s: number, b: any) => s + b.count, 0)).toBe(4);
    expect(list.runs[0].summary.seed).toBeUndefined();
    await collector.close();
    open.collector = undefined;
    collector = await collectorIn(open.dir);
    const again = (await (await fetch(`${collector.url}/api/hivelab/runs/run-a`)).json()) as any;
    expect(again.runId).toBe('run-a');
    expect((await fetch(`${collector.url}/api/hivelab/runs/nope`)).status).toBe(404);
  });

  it('answers 400 naming the field, and registerRun reports a collector that is down', async () => {
    open.dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-runs-'));
    const collector = await collectorIn(open.dir);
    const body = runRegistration(fakeResult('run-b'));
    (body.summary as any).issued = 'many';
    const res = await fetch(`${collector.url}/api/hivelab/runs`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^invalid run: summary\.issued: /);
    const notJson = await fetch(`${collector.url}/api/hivelab/runs`, { method: 'POST', body: '{' });
    expect(await notJson.text()).toMatch(/not JSON/);
    const url = `${collector.url}/api/hivelab/runs`;
    await collector.close();
    open.collector = undefined;
    expect(await registerRun(url, runRegistration(fakeResult('run-c')))).toMatch(/fetch failed|ECONNREFUSED/);
  });
});

describe('/api/hivelab/platform', () => {
  it('is 503 until the platform is attached, then relays its admin API', async () => {
    open.dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-runs-'));
    const collector = await collectorIn(open.dir);
    const down = await fetch(`${collector.url}/api/hivelab/platform/functions`);
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/hivelab up/);
    const platform = await startPlatform({ port: 0 });
    try {
      collector.setPlatformUrl(platform.url);
      const up = await fetch(`${collector.url}/api/hivelab/platform/functions`);
      expect(up.status).toBe(200);
      expect(await up.json()).toEqual([]);
      const unknown = await fetch(`${collector.url}/api/hivelab/platform/functions/default/nope/history`);
      expect(unknown.status).toBe(404);
    } finally {
      await platform.close();
    }
    const gone = await fetch(`${collector.url}/api/hivelab/platform/functions`);
    expect(gone.status).toBe(503);
    expect(await gone.text()).toMatch(/did not answer/);
  });
});
