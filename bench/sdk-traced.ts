/**
 * Cost of seed 004's per-function measurement: `npm run bench -- sdk-traced [--calls N]`.
 *
 * Per call of a small function (greeting a name), in one run:
 * - bare limit: the function called directly;
 * - ours, tracing off: `traced()` with no collector (what every built-in pays by default);
 * - ours, tracing on: `traced()` measuring CPU time, wall time and peak memory and building
 *   the span, into a sink that drops it (the reporter's batching is off the call path);
 * - peer: OpenTelemetry JS (`@opentelemetry/sdk-trace-base`) doing the same by hand, as seed
 *   004's Python decorator does with OTel: start a span, read `process.cpuUsage()` and
 *   `process.resourceUsage()` before and after, set the four attributes, end the span into
 *   an in-memory exporter.
 * Short run: `--calls 20000`; full run: `--calls 200000` (default).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { traced, type SpanSink } from '../src/sdk/index.js';
import { benchFlags } from './lib/bench-kit.js';

const greet = (name: string): string => `Hello, ${name}!`;

/** ns per call of `fn`, best of 3 rounds (the machine is shared: the minimum is the least disturbed). */
function nsPerCall(calls: number, fn: (name: string) => string): number {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += fn('bench').length;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / calls);
  }
  if (sink === 0) throw new Error('unreachable: keeps the calls from being optimised away');
  return best;
}

function otelPeer(): (name: string) => string {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('bench');
  let ended = 0;
  return (name: string) => {
    const span = tracer.startSpan('greet');
    const cpuBefore = process.cpuUsage();
    const maxRssBefore = process.resourceUsage().maxRSS;
    const startMs = performance.now();
    const result = greet(name);
    const cpu = process.cpuUsage(cpuBefore);
    span.setAttributes({
      'cpu.ms': (cpu.user + cpu.system) / 1000,
      'exec.ms': performance.now() - startMs,
      'peak_mem.kb': Math.max(maxRssBefore, process.resourceUsage().maxRSS),
      'function.name': 'greet',
    });
    span.end();
    // Keep the exporter's memory flat over millions of spans.
    if (++ended % 10_000 === 0) exporter.reset();
    return result;
  };
}

const { calls } = benchFlags({ calls: { type: 'number', default: 200_000, integer: true, min: 100 } });
const dropSink: SpanSink = { report: () => undefined };
const cases: [string, (name: string) => string][] = [
  ['bare function (limit)', greet],
  ['traced(), tracing off', traced('greet', greet)],
  ['traced(), measuring + span', traced('greet', greet, { sink: dropSink })],
  ['OpenTelemetry span + same tags (peer)', otelPeer()],
];
// Warm every case up first, so the first one measured does not pay for JIT compilation.
for (const [, fn] of cases) nsPerCall(Math.ceil(calls / 10), fn);
const results = cases.map(([name, fn]) => ({ name, nsPerCall: nsPerCall(calls, fn) }));
const bare = results[0]?.nsPerCall ?? 1;
const otel = results[3]?.nsPerCall ?? 1;
console.log(`sdk-traced: ${calls} calls per round, best of 3`);
console.log('case'.padEnd(40) + 'ns/call'.padStart(10) + 'x bare'.padStart(10) + 'x OTel'.padStart(10));
for (const r of results) {
  console.log(
    r.name.padEnd(40) +
      r.nsPerCall.toFixed(0).padStart(10) +
      (r.nsPerCall / bare).toFixed(1).padStart(10) +
      (r.nsPerCall / otel).toFixed(2).padStart(10),
  );
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sdk-traced.json');
writeFileSync(
  out,
  JSON.stringify(
    {
      calls,
      results: results.map((r) => ({
        ...r,
        ratioToBare: r.nsPerCall / bare,
        ratioToOtel: r.nsPerCall / otel,
      })),
    },
    null,
    2,
  ),
);
console.log(`written ${out}`);
