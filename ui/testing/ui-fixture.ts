/** A real collector (SQLite in a temporary folder) seeded with the UI tests' traces and runs. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollector, type RunningCollector } from '../../src/collector/index.js';
import type { ZipkinSpan } from '../src/model/zipkin-span.js';
import { hotelTrace, postSpans, wideTrace } from './seed-traces.js';

export interface SeededCollector {
  collector: RunningCollector;
  hotels: ZipkinSpan[][];
  /** Index in `hotels` of the trace whose rate call is 40 ms slower. */
  slowIndex: number;
  big: ZipkinSpan[];
  runIds: string[];
  close(): Promise<void>;
}

/** A run registration with a log-normal-ish latency histogram around `medianUs`. */
export function runBody(
  runId: string,
  label: string,
  medianUs: number,
  startEpochMs: number,
): Record<string, unknown> {
  const histogram = [0.5, 0.8, 1, 1.3, 2, 4].map((f, i) => ({
    upperUs: Math.round(medianUs * f),
    count: [5, 20, 40, 20, 10, 5][i]!,
  }));
  const p = {
    count: 100,
    min: medianUs * 0.4,
    mean: medianUs * 1.1,
    p50: medianUs,
    p90: medianUs * 2,
    p99: medianUs * 4,
    p999: medianUs * 4,
    max: medianUs * 4,
  };
  return {
    runId,
    label,
    startEpochMs,
    protocol: 'grpc',
    endpoints: ['helloworld-0.default.192.168.1.240.sslip.io'],
    summary: {
      targetRps: 10,
      plannedDurationS: 10,
      issued: 100,
      completed: 100,
      failed: 0,
      cold: 1,
      achievedRps: 10,
      latencyFromScheduledUs: p,
      latencyFromSendUs: p,
    },
    histogram,
  };
}

/** Starts and seeds the collector. */
export async function seededCollector(options: { bigSpans?: number } = {}): Promise<SeededCollector> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-ui-'));
  const collector = await startCollector({ port: 0, otlpPort: null, dataDir, log: () => {} });
  const nowUs = Date.now() * 1000;
  const slowIndex = 3;
  const hotels = Array.from({ length: 30 }, (_, i) =>
    hotelTrace(nowUs - (i + 1) * 1_000_000, i === slowIndex ? 40_000 : 0),
  );
  await postSpans(collector.url, hotels.flat());
  const big = wideTrace(nowUs - 40_000_000, options.bigSpans ?? 10_000);
  await postSpans(collector.url, big);
  const runIds = ['run-boot-0001', 'run-snapshot-0002'];
  const bodies = [
    runBody(runIds[0]!, 'boot', 80_000, Date.now() - 60_000),
    runBody(runIds[1]!, 'snapshot', 20_000, Date.now() - 30_000),
  ];
  for (const body of bodies) {
    const res = await fetch(`${collector.url}/api/hivelab/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`registering a run: ${res.status} ${await res.text()}`);
  }
  // Ingest is acknowledged before the write is durable: wait until the store has it all.
  const expected = hotels.flat().length + big.length;
  for (let i = 0; i < 200; i++) {
    const stats = (await collector.store.stats()).spanCount;
    if (stats >= expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    collector,
    hotels,
    slowIndex,
    big,
    runIds,
    async close() {
      await collector.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
