/**
 * `hivelab invoke`: vHive's invoker, same flags (`-endpointsFile -rps -time -latf -port
 * -trace -zipkin -grpcTimeout -dbg`), plus HTTP targets, arrival distributions, seeds and
 * machine-readable output. Thin: validation here, the work in `invoker/`.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseFlags } from '../flags.js';
import { latencyCdfSpec, renderSvg, svgToPng, type LatencySeries } from '../../experiments/index.js';
import { findLab } from '../lab-file.js';
import {
  createProgress,
  IAT_DISTRIBUTIONS,
  invoke,
  readEndpointsFile,
  readWorkloadFile,
  registerRun,
  runRegistration,
  runsUrlFor,
  vhiveSummaryLines,
  writeRunOutputs,
  type RequestRecord,
  type RunSummary,
} from '../../invoker/index.js';

const positive = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .refine((n) => Number.isFinite(n) && n > 0, `expected ${what}`);

const InvokeFlags = z.object({
  endpointsFile: z.string().min(1),
  rps: positive('a number of requests per second > 0, e.g. 4 or 0.5'),
  time: positive('a duration in seconds > 0, e.g. 10'),
  latf: z.string().min(1, 'expected a file name, e.g. lat.csv'),
  port: z.coerce
    .number()
    .int('expected an integer port 1-65535')
    .min(1, 'expected a port 1-65535')
    .max(65535, 'expected a port 1-65535'),
  address: z.string().min(1),
  trace: z.boolean(),
  zipkin: z.url({ error: 'expected a URL, e.g. http://localhost:9411/api/v2/spans' }),
  grpcTimeout: positive('a timeout in seconds > 0, e.g. 30'),
  dbg: z.boolean(),
  protocol: z.enum(['grpc', 'http'], { error: 'expected grpc or http' }),
  method: z.string().regex(/^[A-Za-z]+$/, 'expected an HTTP method, e.g. GET or POST'),
  path: z.string().startsWith('/', 'expected a path starting with /'),
  body: z.string().optional(),
  iat: z.enum(IAT_DISTRIBUTIONS, { error: `expected one of ${IAT_DISTRIBUTIONS.join(', ')}` }),
  seed: z.coerce.number().int('expected an integer seed').min(0, 'expected an integer seed >= 0').optional(),
  newConnectionPerRequest: z.boolean(),
  maxConnections: z.coerce
    .number()
    .int('expected a whole number of connections >= 1')
    .min(1, 'expected a whole number of connections >= 1'),
  pacer: z.enum(['spin', 'thread'], { error: 'expected spin or thread' }),
  json: z.boolean(),
  runId: z.string().min(1).optional(),
  workload: z.string().min(1, 'expected a workload JSON file, e.g. examples/hotel-mixed.json').optional(),
  plot: z
    .string()
    .regex(/\.(svg|png)$/i, 'expected a file name ending in .svg or .png')
    .optional(),
});
export type InvokeFlags = z.infer<typeof InvokeFlags>;

/** Validates commander's raw options; the message names the flag and the expected form. */
export function parseInvokeFlags(raw: Record<string, unknown>): InvokeFlags {
  return parseFlags(InvokeFlags, raw, 'invoke', 'go');
}

export function register(program: Command): void {
  // A running `hivelab up` sets the defaults of -port and -zipkin (vHive's are 80 and :9411).
  const lab = findLab();
  program
    .command('invoke')
    .description('Open-loop load on endpoints (vHive invoker flags): gRPC helloworld or HTTP')
    .option('--endpointsFile <file>', 'endpoints JSON written by the deployer', 'endpoints.json')
    .option('--rps <n>', 'target requests per second (any positive number)', '1')
    .option('--time <s>', 'run duration in seconds', '5')
    .option('--latf <file>', 'latency file; written as rps<achieved>_<latf>', 'lat.csv')
    .option(
      '--port <n>',
      'gateway port every endpoint is sent to (default: the running hivelab up, else 80)',
      lab ? new URL(lab.gatewayUrl).port : '80',
    )
    .option('--address <host>', 'gateway address every endpoint is sent to', '127.0.0.1')
    .option('--trace', 'start a client span per request and send it to -zipkin', false)
    .option('--zipkin <url>', 'Zipkin v2 spans URL', lab?.zipkinUrl ?? 'http://localhost:9411/api/v2/spans')
    .option('--grpcTimeout <s>', 'per-request timeout in seconds (gRPC and HTTP)', '30')
    .option('--dbg', 'print every failed request', false)
    .option('--protocol <p>', 'grpc (helloworld.Greeter/SayHello) or http', 'grpc')
    .option('--method <m>', 'HTTP method', 'GET')
    .option('--path <p>', 'HTTP path', '/')
    .option('--body <text>', 'HTTP request body')
    .option('--iat <d>', `inter-arrival times: ${IAT_DISTRIBUTIONS.join(' | ')}`, 'equidistant')
    .option('--seed <n>', 'seed for the inter-arrival times (repeatable runs)')
    .option('--new-connection-per-request', "dial a new connection per request (vHive's behaviour)", false)
    .option('--max-connections <n>', 'HTTP: open connections at most (then requests wait)', '4096')
    .option(
      '--pacer <p>',
      'how sends are timed: spin (busy-yield before each send: tightest timing, takes a core from ~500/s) or thread (a timer thread wakes the loop: a third of the CPU, p99 lateness ~1 ms)',
      'spin',
    )
    .option('--json', 'print the JSON summary on stdout instead of text', false)
    .option('--run-id <id>', 'run id tagged on client spans (default: a UUID)')
    .option(
      '--workload <file>',
      'HTTP requests drawn from a workload file (weighted kinds, parameter generators), e.g. examples/hotel-mixed.json; its "endpoint" is used unless -endpointsFile is given',
    )
    .option('--plot <file>', "write the run's latency CDF (per request kind with --workload) as .svg or .png")
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const flags = parseInvokeFlags(raw);
      await runInvoke(flags, command.getOptionValueSource('endpointsFile') !== 'default');
    });
}

async function runInvoke(flags: InvokeFlags, endpointsFileGiven: boolean): Promise<void> {
  const workload = flags.workload !== undefined ? await readWorkloadFile(flags.workload) : undefined;
  const endpoints =
    workload?.endpoint !== undefined && !endpointsFileGiven
      ? [{ hostname: workload.endpoint, eventing: false }]
      : await readEndpointsFile(flags.endpointsFile);
  const progress = createProgress(process.stderr, 'invoking');
  const result = await invoke({
    endpoints,
    rps: flags.rps,
    durationS: flags.time,
    distribution: flags.iat,
    seed: flags.seed,
    protocol: workload ? 'http' : flags.protocol,
    workload,
    address: flags.address,
    port: flags.port,
    timeoutMs: flags.grpcTimeout * 1000,
    newConnectionPerRequest: flags.newConnectionPerRequest,
    maxConnections: flags.maxConnections,
    http: { method: flags.method.toUpperCase(), path: flags.path, body: flags.body },
    zipkinUrl: flags.trace ? flags.zipkin : undefined,
    runId: flags.runId,
    pacer: flags.pacer,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.end();
  const files = await writeRunOutputs(result, flags.latf);
  if (flags.plot !== undefined) await writeCdfPlot(flags.plot, result.records);
  // With -trace the run is also registered with that collector, for its web UI (/runs).
  const notRegistered = flags.trace
    ? await registerRun(
        runsUrlFor(flags.zipkin),
        runRegistration(result, { protocol: flags.protocol, endpoints: endpoints.map((e) => e.hostname) }),
      )
    : undefined;
  const { summary } = result;
  if (flags.dbg) {
    for (const r of result.records)
      if (!r.outcome.ok)
        console.error(
          `request ${r.index} to ${r.endpoint} failed (${r.outcome.errorKind}): ${r.outcome.errorMessage}`,
        );
  }
  if (flags.json) {
    console.log(JSON.stringify({ ...summary, tracing: result.tracing, files }, null, 2));
  } else {
    for (const line of vhiveSummaryLines(
      summary.issued,
      summary.completed,
      summary.achievedRps,
      summary.targetRps,
    ))
      console.log(line);
    printDetails(summary);
    if (result.tracing)
      console.log(
        `traces: ${result.tracing.sent} client spans sent to ${flags.zipkin} (run id ${summary.runId})` +
          (result.tracing.failed + result.tracing.dropped > 0
            ? `, ${result.tracing.failed} failed, ${result.tracing.dropped} dropped`
            : ''),
      );
    console.log(`The measured latencies are saved in ${files.latencies}`);
    console.log(`per-request rows: ${files.requests}; summary: ${files.summary}`);
  }
  if (summary.warning) console.error(`warning: ${summary.warning}`);
  if (notRegistered)
    console.error(`warning: the run was not registered with the collector: ${notRegistered}`);
  if (result.tracing && result.tracing.failed + result.tracing.dropped > 0)
    console.error(
      `warning: ${result.tracing.failed + result.tracing.dropped} client spans did not reach ${flags.zipkin}; is the collector running (hivelab up)?`,
    );
}

function printDetails(s: RunSummary): void {
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const row = (name: string, p: RunSummary['latencyFromSendUs']): string =>
    `${name.padEnd(26)}${ms(p.p50).padStart(10)}${ms(p.p90).padStart(10)}${ms(p.p99).padStart(10)}${ms(p.max).padStart(10)}`;
  console.log(
    `${'latency (ms)'.padEnd(26)}${'p50'.padStart(10)}${'p90'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}`,
  );
  console.log(row('from scheduled send', s.latencyFromScheduledUs));
  console.log(row('from actual send', s.latencyFromSendUs));
  console.log(row('send lateness', s.latenessUs));
  for (const k of s.byKind ?? [])
    console.log(
      `${row(`  ${k.kind} (${(k.share * 100).toFixed(1)} %)`, k.latencyFromScheduledUs)}   ${k.completed}/${k.issued} ok`,
    );
  const e = s.errors;
  console.log(
    `errors: timeout ${e.timeout}, refused ${e.refused}, status ${e.status}, other ${e.other}; cold requests (waited for an instance start) ${s.cold}; ` +
      `late sends (> 1 ms) ${s.lateSends}; send rate ${s.sendRps.toFixed(2)}/s; seed ${s.seed}; ` +
      `invoker CPU ${(s.self.cpuCores * 100).toFixed(0)} % of a core`,
  );
}

/** The latency CDF from the scheduled send of the answered requests: one line per kind, or one. */
async function writeCdfPlot(file: string, records: readonly RequestRecord[]): Promise<void> {
  const groups = new Map<string, number[]>();
  for (const r of records) {
    if (!r.outcome.ok) continue;
    const name = r.kind ?? 'all requests';
    const list = groups.get(name) ?? [];
    list.push(r.completedMs - r.scheduledMs);
    groups.set(name, list);
  }
  const series: LatencySeries[] = [...groups].map(([name, latenciesMs]) => ({ name, latenciesMs }));
  const svg = await renderSvg(latencyCdfSpec(series, 'Latency CDF (from the scheduled send)'));
  await writeFile(file, /\.png$/i.test(file) ? svgToPng(svg) : svg);
  console.error(`plot: ${file}`);
}
