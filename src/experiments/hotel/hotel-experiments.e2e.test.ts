// `hivelab experiment anomaly --quick` and `sidecar --quick` end to end on one real lab
// (collector, platform, the hotel app from examples/hotel/): each writes its report and
// plots; the anomaly run's injections are the platform's records of the fault it set, and
// the sidecar breakdown covers the workload's request kinds. Instances run the built
// JavaScript: `npm run build` first, as `npm test` does.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFaultLog } from '../../platform/index.js';
import { runAnomalyExperiment } from '../anomaly/run-anomaly.js';
import { runSidecarExperiment } from '../sidecar/run-sidecar.js';
import { startHotelLab, type HotelLab } from './hotel-lab.js';

let dir: string;
let lab: HotelLab;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hivelab-experiments-'));
  lab = await startHotelLab(path.join(dir, 'lab'), () => undefined);
}, 240_000);
afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

async function nonEmpty(file: string): Promise<boolean> {
  return (await stat(file)).size > 500;
}

describe('hotel experiments (quick)', () => {
  it(
    'anomaly: a fault set for the window, every injection recorded, the analyses in report.md',
    { timeout: 240_000 },
    async () => {
      const outDir = path.join(dir, 'anomaly');
      // A large delay, so the window stands out even on a loaded machine.
      const result = await runAnomalyExperiment({
        outDir,
        quick: true,
        lab,
        fault: 'delay=300ms',
        service: 'geo',
      });
      const [baseline, window] = result.periods;
      expect(baseline!.records.length).toBeGreaterThan(40);
      // Injected only in the window, into geo, once per search request that reached it.
      const windowIds = new Set(window!.records.map((r) => r.traceId));
      expect(result.injections.length).toBeGreaterThan(10);
      for (const injection of result.injections) {
        expect(injection).toMatchObject({ function: 'default/geo', delayMs: 300 });
        expect(windowIds.has(injection.traceId!)).toBe(true);
      }
      const searches = window!.records.filter((r) => r.kind === 'search' && r.outcome.ok).length;
      expect(result.injections.length).toBeGreaterThanOrEqual(searches);
      const log = readFaultLog(await readFile(lab.faultLogFile, 'utf8'));
      expect(log.filter((e) => e.event === 'injection')).toHaveLength(result.injections.length);
      expect(log.at(-1)).toMatchObject({ event: 'clear', function: 'default/geo' });
      // The analyzer saw both periods and ranked geo among its suspects.
      expect(result.tracesFound).toBeGreaterThanOrEqual(baseline!.records.length + window!.records.length);
      expect(result.types.types.map((t) => t.key)).toContain('invoker:get /hotels');
      expect(result.verdict.ranking.some((r) => r.service === 'geo')).toBe(true);
      const report = await readFile(result.reportPath, 'utf8');
      for (const heading of [
        '## Verdict',
        '## The run',
        '## Request types',
        '## Anomalies',
        '## Window mode: suspects',
      ])
        expect(report).toContain(heading);
      expect(report).toContain(
        `${result.injections.length} injections of \`delay=300ms\` into \`default/geo\``,
      );
      for (const plot of ['latency-over-time', 'latency-cdf', 'suspects']) {
        expect(await nonEmpty(path.join(outDir, `${plot}.svg`))).toBe(true);
        expect(await nonEmpty(path.join(outDir, `${plot}.png`))).toBe(true);
      }
    },
  );

  it('sidecar: the gateway stages per request type and per function', { timeout: 240_000 }, async () => {
    const outDir = path.join(dir, 'sidecar');
    const result = await runSidecarExperiment({ outDir, quick: true, lab });
    expect(result.traces).toBeGreaterThan(30);
    const search = result.byType.find((r) => r.group === 'search')!;
    // A search reaches frontend, search, geo, rate, reservation, profile at least.
    expect(search.hopsPerTrace).toBeGreaterThanOrEqual(6);
    for (const stage of ['route', 'admit', 'connect', 'write', 'upstream', 'respond'] as const)
      expect(search.median[stage]).toBeGreaterThanOrEqual(0);
    // The entry function's time holds all the others: it is the largest stage.
    expect(search.median.upstream).toBeGreaterThan(search.median.route + search.median.admit);
    expect(result.byFunction.map((r) => r.group)).toEqual(
      expect.arrayContaining(['frontend', 'geo', 'search']),
    );
    const report = await readFile(result.reportPath, 'utf8');
    expect(report).toContain('## Per request type');
    expect(report).toMatch(/\| search \| \d+ \|/);
    expect(await nonEmpty(path.join(outDir, 'gateway-stages.png'))).toBe(true);
  });
});
