/**
 * Autoscaler overhead: `npm run bench -- autoscaler [--ms N]`.
 *
 * What one function costs the platform, measured for `--ms` per case:
 * 1. Per tick: record two 1-s samples into the window and decide, with a full 60-s window.
 *    ours = kpaPolicy; peer = the fixed example policy through the same plumbing (the
 *    cheapest real policy); bare limit = the arithmetic any concurrency autoscaler does
 *    (mean of 60 numbers and a ceil). "functions/core" = decisions/s × the 2-s tick.
 * 2. Per request: ConcurrencySampler.requestStarted + requestFinished vs a bare counter.
 * 3. Offline simulation of a 1-hour square-wave load profile: simulated seconds per wall second,
 *    KPA vs fixed (the bare limit is not meaningful here and is left out).
 * Ratios are against the bare limit. Short run: `--ms 300`; full run: `--ms 3000` (default 1000).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConcurrencySampler,
  MetricWindow,
  createFixedPolicy,
  kpaPolicy,
  simulateScaling,
  type MetricSample,
  type ScalingPolicy,
  type LoadPoint,
} from '../src/platform/autoscaler/index.js';
import { defaultAutoscaling } from '../src/platform/function-spec/index.js';
import { benchFlags } from './lib/bench-kit.js';

/** Runs `op` in batches for `ms` and returns operations per second. */
function measure(ms: number, op: (i: number) => void): number {
  const batch = 1000;
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i += 1) op(done + i);
    done += batch;
    elapsed = performance.now() - start;
  }
  return (done / elapsed) * 1000;
}

const settings = defaultAutoscaling(10);
let sink = 0;

function tickLoop(ms: number, policy: ScalingPolicy): number {
  const window = new MetricWindow(settings.stableWindowMs + settings.tickIntervalMs);
  const sampler = new ConcurrencySampler(0);
  for (let t = 1000; t <= 60_000; t += 1000) window.record(sampler.sample(t));
  let state = policy.initialState(settings, 0);
  let desired = 1;
  return measure(ms, (i) => {
    const nowMs = 62_000 + i * 2000;
    sampler.requestStarted(nowMs - 1500);
    window.record(sampler.sample(nowMs - 1000));
    sampler.requestFinished(nowMs - 500);
    window.record(sampler.sample(nowMs));
    const d = policy.decide(
      { nowMs, settings, readyInstances: desired, currentDesired: desired, samples: window.samples(nowMs) },
      state,
    );
    state = d.state;
    desired = d.desired;
  });
}

function bareTick(ms: number): number {
  const samples: MetricSample[] = Array.from({ length: 60 }, (_, i) => ({
    timeMs: i * 1000,
    concurrency: i % 7,
    requests: i,
  }));
  return measure(ms, (i) => {
    samples[i % 60]!.concurrency = i % 7;
    let sum = 0;
    for (const s of samples) sum += s.concurrency;
    sink += Math.ceil(sum / 60 / 7);
  });
}

function perRequest(ms: number): { ours: number; bare: number } {
  const sampler = new ConcurrencySampler(0);
  const ours = measure(ms, (i) => {
    sampler.requestStarted(i);
    sampler.requestFinished(i + 1);
  });
  let inFlight = 0;
  const bare = measure(ms, () => {
    inFlight += 1;
    inFlight -= 1;
    sink += inFlight;
  });
  return { ours, bare };
}

function squareWave(hours: number): LoadPoint[] {
  const points: LoadPoint[] = [];
  for (let t = 0; t <= hours * 3_600_000; t += 120_000)
    points.push({ timeMs: t, concurrency: (t / 120_000) % 2 ? 35 : 0 });
  return points;
}

function simulatedPerSecond(policy: ScalingPolicy): number {
  const profile = squareWave(1);
  const start = performance.now();
  const result = simulateScaling(policy, settings, profile, { coldStartMs: 300 });
  sink += result.summary.coldStarts;
  return 3600 / ((performance.now() - start) / 1000);
}

const { ms } = benchFlags({ ms: { type: 'number', default: 1000 } });
const kpaTick = tickLoop(ms, kpaPolicy);
const fixedTick = tickLoop(ms, createFixedPolicy(5));
const bare = bareTick(ms);
const request = perRequest(ms);
const simKpa = simulatedPerSecond(kpaPolicy);
const simFixed = simulatedPerSecond(createFixedPolicy(5));

const tickS = settings.tickIntervalMs / 1000;
const rows = [
  {
    case: 'tick: kpa (ours)',
    opsPerS: kpaTick,
    functionsPerCore: kpaTick * tickS,
    ratioToBare: kpaTick / bare,
  },
  {
    case: 'tick: fixed (peer)',
    opsPerS: fixedTick,
    functionsPerCore: fixedTick * tickS,
    ratioToBare: fixedTick / bare,
  },
  { case: 'tick: mean+ceil (bare)', opsPerS: bare, functionsPerCore: bare * tickS, ratioToBare: 1 },
  { case: 'request: sampler (ours)', opsPerS: request.ours, ratioToBare: request.ours / request.bare },
  { case: 'request: counter (bare)', opsPerS: request.bare, ratioToBare: 1 },
  { case: 'simulate 1 h: kpa', simulatedSPerS: simKpa },
  { case: 'simulate 1 h: fixed', simulatedSPerS: simFixed },
];
console.table(
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(3)) : v]),
    ),
  ),
);
// The bundle runs from bench/results/.
const outDir = path.dirname(fileURLToPath(import.meta.url));
writeFileSync(
  path.join(outDir, 'autoscaler.json'),
  JSON.stringify({ ms, node: process.version, rows, sink: sink > 0 }, null, 2),
);
console.log(`wrote ${path.join(outDir, 'autoscaler.json')}`);
