import { describe, expect, it } from 'vitest';
import { MemoryTraceStore } from '../store/index.js';
import { SEED004_HEADER, typesCsv, typesSeed004 } from './output/format-types.js';
import { analyzeAnomalies, analyzeTraceById, analyzeTypes, analyzeWindow } from './run-analysis.js';
import { StoreSource } from './sources/store-source.js';
import { T0_US, traceOf } from './testing/make-span.js';
import { syntheticTrace, type Plant } from './testing/synthetic-traces.js';

const TYPE = 'gw:get /x → [auth:check, db:query]';
const ALL = { window: { startUs: T0_US - 1, endUs: T0_US + 86_400_000_000 } };

async function sourceWith(plants: Record<number, Plant>, count = 60): Promise<StoreSource> {
  const store = new MemoryTraceStore();
  for (let i = 0; i < count; i++) await store.append(syntheticTrace(i, undefined, plants[i]));
  return new StoreSource(store, 'memory');
}

describe('analyzeTypes', () => {
  it('one row per type with statistics, critical path and example ids; seed 004 and CSV formats', async () => {
    const source = await sourceWith({});
    // A second type: a lone gw span, 5 traces.
    const store = new MemoryTraceStore();
    const report = await analyzeTypes(source, ALL);
    expect(report.types.map((t) => [t.key, t.count])).toEqual([[TYPE, 60]]);
    const row = report.types[0]!;
    expect(row.errorRate).toBe(0);
    expect(row.durationMs.p50).toBeGreaterThan(0.9);
    expect(row.durationMs.max).toBeGreaterThanOrEqual(row.durationMs.p99);
    expect(row.cpuMs.p50).toBeCloseTo(0.21, 1);
    expect(row.peakMemKb.p50).toBeGreaterThan(19_999);
    expect(row.criticalPath.map((c) => `${c.service}:${c.operation}`)).toEqual(
      expect.arrayContaining(['db:query', 'auth:check', 'gw:get /x']),
    );
    expect(row.exampleTraceIds.length).toBe(2);
    const seed = typesSeed004(report).split('\n');
    expect(seed[0]).toBe(
      'request_type,count,max_duration,avg_duration,min_duration,std_duration,max_cpu_time,avg_cpu_time,min_cpu_time,std_cpu_time,max_peak_mem,avg_peak_mem,min_peak_mem,std_peak_mem',
    );
    expect(seed[0]).toBe(SEED004_HEADER);
    expect(seed[1]?.startsWith(`"${TYPE}",60,${row.durationMs.max},`)).toBe(true);
    expect(typesCsv(report).split('\n')[0]).toContain('duration_p99_ms');
    await store.close();
  });

  it('--key root and --key set; filters by service and operation; an empty window has no rows', async () => {
    const source = await sourceWith({});
    expect((await analyzeTypes(source, { ...ALL, key: 'root' })).types[0]?.key).toBe('gw:get /x');
    expect((await analyzeTypes(source, { ...ALL, key: 'set' })).types[0]?.key).toBe(
      'auth:check,db:query,gw:check,gw:get /x,gw:query',
    );
    expect((await analyzeTypes(source, { ...ALL, service: 'db' })).types.length).toBe(1);
    expect((await analyzeTypes(source, { ...ALL, service: 'nope' })).types).toEqual([]);
    expect((await analyzeTypes(source, { ...ALL, service: 'auth', operation: 'query' })).types).toEqual([]);
    expect((await analyzeTypes(source, { ...ALL, limit: 7 })).types[0]?.count).toBe(7);
    const empty = await analyzeTypes(source, { window: { startUs: 1, endUs: 2 } });
    expect(empty).toEqual({ types: [] });
  });
});

interface PlantCase {
  name: string;
  plant: Plant;
  metric: 'duration' | 'cpu' | 'memory';
  culprit: string;
}

const PLANTS: PlantCase[] = [
  {
    name: 'a slow node (db self time +5 ms)',
    plant: { dbSlowUs: 5000 },
    metric: 'duration',
    culprit: 'db:query',
  },
  {
    name: 'a CPU-heavy node (auth 40 ms of CPU)',
    plant: { authCpuMs: 40 },
    metric: 'cpu',
    culprit: 'auth:check',
  },
  {
    name: 'a memory-heavy node (auth 900 MB)',
    plant: { authMemKb: 900_000 },
    metric: 'memory',
    culprit: 'auth:check',
  },
];

describe('analyzeAnomalies', () => {
  it.each(PLANTS)('finds $name with its culprit span', async ({ plant, metric, culprit }) => {
    const source = await sourceWith({ 17: plant });
    const report = await analyzeAnomalies(source, { ...ALL, metrics: [metric] });
    const found = report.anomalies.find((a) => a.traceId === syntheticTrace(17)[0]!.traceId);
    expect(found?.metric).toBe(metric);
    expect(found?.type).toBe(TYPE);
    expect(`${found?.culprit?.service}:${found?.culprit?.operation}`).toBe(culprit);
    expect(found!.culprit!.value).toBeGreaterThan(found!.culprit!.usual * 2);
    expect(found?.baseline.n).toBe(60);
    // The planted trace is the most severe one.
    expect(report.anomalies[0]?.traceId).toBe(found?.traceId);
  });

  it('sigma rule flags CPU in consistent units (seed 004 compared ms with µs)', async () => {
    const source = await sourceWith({ 5: { authCpuMs: 40 } });
    const report = await analyzeAnomalies(source, { ...ALL, method: 'sigma', metrics: ['cpu'] });
    expect(report.anomalies.map((a) => a.traceId)).toEqual([syntheticTrace(5)[0]!.traceId]);
  });

  it('a type with too few traces is skipped with its count', async () => {
    const source = await sourceWith({}, 12);
    const report = await analyzeAnomalies(source, ALL);
    expect(report.anomalies).toEqual([]);
    expect(report.skipped).toEqual([{ type: TYPE, count: 12, reason: 'fewer than 20 traces' }]);
  });
});

describe('analyzeWindow (fault localisation)', () => {
  it('names the service whose latency was raised in the window: db, by its wire time', async () => {
    const store = new MemoryTraceStore();
    for (let i = 0; i < 120; i++) {
      // Traces 60.. come after the "injection": 2 ms more between gw's call and db's server.
      await store.append(syntheticTrace(i, T0_US + i * 10_000, i >= 60 ? { dbWireUs: 2000 } : {}));
    }
    const source = new StoreSource(store, 'memory');
    const cut = T0_US + 60 * 10_000;
    const report = await analyzeWindow(source, {
      baseline: { startUs: T0_US, endUs: cut },
      window: { startUs: cut, endUs: T0_US + 120 * 10_000 },
    });
    const top = report.suspects[0]!;
    expect(top.service).toBe('db');
    expect(top.evidence.wireUs?.window).toBeGreaterThan((top.evidence.wireUs?.baseline ?? 0) + 3000);
    expect(report.suspects.find((s) => s.service === 'auth')!.score).toBeLessThan(top.score / 5);
  });

  it('does not score a node seen in fewer than 5 traces of a period (a rare call drawn by chance)', async () => {
    const store = new MemoryTraceStore();
    for (let i = 0; i < 120; i++) {
      // Only 3 window traces get db 20 ms slower: too few to tell from chance.
      await store.append(
        syntheticTrace(i, T0_US + i * 10_000, i >= 60 && i < 63 ? { dbWireUs: 20_000 } : {}),
      );
    }
    const source = new StoreSource(store, 'memory');
    const cut = T0_US + 60 * 10_000;
    const ranges = {
      baseline: { startUs: T0_US, endUs: cut },
      window: { startUs: cut, endUs: T0_US + 63 * 10_000 },
    };
    const report = await analyzeWindow(source, ranges, { minCount: 1 });
    expect(report.suspects).toEqual([]);
    const wider = await analyzeWindow(
      source,
      { ...ranges, window: { startUs: cut, endUs: T0_US + 66 * 10_000 } },
      { minCount: 1 },
    );
    expect(wider.suspects[0]?.service).toBe('db');
  });

  it('an empty window gives no suspects and says which types were too small', async () => {
    const source = await sourceWith({});
    const report = await analyzeWindow(source, {
      baseline: { startUs: T0_US, endUs: T0_US + 600_000 },
      window: { startUs: T0_US + 10_000_000_000, endUs: T0_US + 20_000_000_000 },
    });
    expect(report.suspects).toEqual([]);
    expect(report.skipped[0]?.reason).toContain('window (0)');
  });
});

describe('analyzeTraceById', () => {
  it('reports spans with self time and the path; an unknown id is a clear error', async () => {
    const store = new MemoryTraceStore();
    await store.append(
      traceOf([
        ['a', '', 'fe', 'get', 0, 100],
        ['b', 'a', 'be', 'x', 10, 40],
      ]),
    );
    const source = new StoreSource(store, 'memory');
    const report = await analyzeTraceById(source, 'aaaaaaaaaaaaaaaa');
    expect(report.spans.map((s) => [s.id.slice(-1), s.selfTimeUs, s.onCriticalPath])).toEqual([
      ['a', 60, true],
      ['b', 40, true],
    ]);
    expect(report.byOperation[0]).toEqual({
      service: 'fe',
      operation: 'get',
      criticalPathUs: 60,
      selfTimeUs: 60,
      count: 1,
    });
    await expect(analyzeTraceById(source, 'bbbbbbbbbbbbbbbb')).rejects.toThrow(
      /trace bbbbbbbbbbbbbbbb not found in memory/,
    );
  });
});
