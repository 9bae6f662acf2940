/**
 * `hivelab collector`: runs the trace collector until SIGINT/SIGTERM.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  startCollector,
  parseAgeMs,
  parseForwardTarget,
  parseSizeBytes,
  type ForwardTarget,
  type RunningCollector,
} from '../../collector/index.js';
import { createTraceSummarizer } from '../../analysis/index.js';
import { UserError } from '../../errors.js';
import {
  openTraceStore,
  PostgresTraceStore,
  storeOptionsFromFlag,
  type TraceStore,
} from '../../store/index.js';
import { untilSignal } from '../until-signal.js';
import { listenPort, parseFlags } from '../flags.js';

const FlagsSchema = z.object({
  host: z.string().min(1, 'expected a host name or IP address'),
  port: listenPort,
  otlpPort: z.union([z.literal('none').transform(() => null), listenPort], {
    error: 'expected a port number (0-65535; 0 picks a free port) or none',
  }),
  data: z.string().min(1, 'expected a directory'),
  retentionAge: z.string().optional(),
  retentionSize: z.string().optional(),
  store: z.string().optional(),
});

interface RawFlags {
  host: string;
  port: string;
  otlpPort: string;
  data: string;
  retentionAge?: string;
  retentionSize?: string;
  store?: string;
  forward?: string[];
}

/** The `--forward` values, checked; a UserError names the bad one. */
export function forwardTargetsFlag(values: readonly string[] | undefined): ForwardTarget[] {
  return (values ?? []).map((value) => {
    try {
      return parseForwardTarget(value);
    } catch (error) {
      throw new UserError(
        (error as Error).message,
        'e.g. --forward otlp=http://tempo:4318 --forward zipkin=http://zipkin:9411',
      );
    }
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Opens the store `--store` names (SQLite in `dataDir` when absent) and what to print for it. */
export async function openStoreFlag(
  value: string | undefined,
  dataDir: string,
): Promise<{ store: TraceStore; shown: string }> {
  const options = storeOptionsFromFlag(value ?? 'sqlite', path.resolve(dataDir));
  // The analyzer's per-trace summaries kept at ingest, as startCollector's own store keeps
  // them: `/api/hivelab/*` and `analyze --data/--store` then read a row per trace.
  const store = await openTraceStore(
    options.kind === 'memory' ? options : { ...options, summarizer: createTraceSummarizer() },
  );
  if (store instanceof PostgresTraceStore) return { store, shown: store.shownUrl };
  const file = path.join(dataDir, 'traces.sqlite');
  return { store, shown: value === 'memory' ? 'in memory' : path.isAbsolute(file) ? file : `./${file}` };
}

/** The lines `collector` and `up` print once the collector listens. */
export function readyLine(collector: RunningCollector, dataFile: string | undefined): string {
  return (
    `collector ready: Zipkin ${collector.url}/api/v2/spans, OTLP ${collector.otlpUrl}/v1/traces, ` +
    `UI/API ${collector.url} (Zipkin /api/v2, Jaeger /api, /health, /metrics)` +
    (dataFile ? `, data ${dataFile}` : '')
  );
}

async function run(raw: RawFlags): Promise<void> {
  const flags = parseFlags(FlagsSchema, { ...raw }, 'collector');
  const retention = {
    ...(flags.retentionAge ? { maxAgeMs: parseAgeMs(flags.retentionAge, '--retention-age') } : {}),
    ...(flags.retentionSize ? { maxBytes: parseSizeBytes(flags.retentionSize, '--retention-size') } : {}),
  };
  const targets = forwardTargetsFlag(raw.forward);
  const signal = untilSignal();
  const { store, shown } = await openStoreFlag(flags.store, flags.data);
  const collector = await startCollector({
    host: flags.host,
    port: flags.port,
    otlpPort: flags.otlpPort,
    dataDir: flags.data,
    store,
    retention,
    forward: { targets },
  });
  console.log(readyLine(collector, shown));
  for (const target of targets) console.log(`collector: forwarding to ${target.protocol} ${target.url}`);
  const received = await signal;
  console.log(`collector: ${received}, draining and stopping`);
  await collector.close();
  console.log('collector stopped');
}

/** Registers `hivelab collector`. */
export function register(program: Command): void {
  program
    .command('collector')
    .description('Run the trace collector: Zipkin v2 and OTLP in; Zipkin and Jaeger query APIs out.')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'Zipkin, query API and OTLP port (0 = any free port)', '9411')
    .option('--otlp-port <port>', 'separate OTLP/HTTP port (0 = any free port, "none" = only --port)', '4318')
    .option('--data <dir>', 'data directory (SQLite store inside)', '.hivelab')
    .option(
      '--store <store>',
      'trace store: sqlite (in --data; "sqlite?writer=thread" writes in a worker thread), memory, or postgres://user:pass@host:5432/db',
    )
    .option(
      '--forward <protocol=url>',
      'also send accepted spans to otlp=URL or zipkin=URL (repeatable)',
      collect,
    )
    .option('--retention-age <age>', 'delete traces older than this, e.g. 7d')
    .option('--retention-size <size>', 'keep the store under this size, e.g. 10GB')
    .action((flags: RawFlags) => run(flags));
}
