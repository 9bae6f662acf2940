/**
 * `hivelab up`: the lab on one machine. Starts the trace collector and the function
 * platform (gateway, activator, autoscaler, sandboxes) with spans going to the collector,
 * prints where each listens and how to deploy, and stops both on SIGINT/SIGTERM.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { startCollector } from '../../collector/index.js';
import { UserError } from '../../errors.js';
import { startPlatform } from '../../platform/index.js';
import { openStoreFlag, readyLine } from './collector.js';
import { labFilesToWrite, removeLabFiles, writeLabFiles } from '../lab-file.js';
import { untilSignal } from '../until-signal.js';
import { dnsName, listenPort, parseFlags } from '../flags.js';

interface RawFlags {
  host: string;
  port: string;
  collectorPort: string;
  otlpPort: string;
  data: string;
  domain: string;
  store?: string;
  snapshots: boolean;
  upf: boolean;
}

const UpFlags = z.object({
  host: z.string().min(1, 'expected a host name or IP address'),
  port: listenPort,
  collectorPort: listenPort,
  otlpPort: listenPort,
  data: z.string().min(1, 'expected a directory'),
  domain: dnsName,
});

/** Validates `up`'s flags; the message names the flag and the expected form. */
export function parseUpFlags(raw: Record<string, unknown>): z.infer<typeof UpFlags> {
  return parseFlags(UpFlags, raw, 'up');
}

async function run(raw: RawFlags): Promise<void> {
  const { port, collectorPort, otlpPort, domain } = parseUpFlags({ ...raw });
  const signal = untilSignal();
  const { store, shown } = await openStoreFlag(raw.store, raw.data);
  const collector = await startCollector({
    host: raw.host,
    port: collectorPort,
    otlpPort,
    dataDir: raw.data,
    store,
  });
  let platform;
  try {
    platform = await startPlatform({
      host: raw.host,
      port,
      domain,
      zipkinUrl: `${collector.url}/api/v2/spans`,
      stateDir: path.resolve(raw.data, 'platform'),
      faultLogFile: path.resolve(raw.data, 'faults.jsonl'),
      snapshotsByDefault: raw.snapshots || raw.upf,
      // The sandboxes say what they run in (cgroups, pod networks, and why not): on stderr.
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    await collector.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new UserError(
        `error while starting the gateway: port ${port} is in use`,
        'pass --port <free port>',
      );
    }
    throw error;
  }
  collector.setPlatformUrl(platform.url);
  if (raw.upf)
    console.log(
      "upf: hivelab has no REAP (recording a microVM's working set, then prefetching it); --upf gives snapshot cold starts as --snapshots does: V8 startup snapshots, restored from a file the page cache keeps",
    );
  if (raw.snapshots || raw.upf)
    console.log(
      'snapshots: every JavaScript function without its own hivelab.dev/cold-start annotation gets snapshot cold starts (a V8 startup snapshot of the initialised function)',
    );
  console.log(readyLine(collector, shown));
  console.log(
    `gateway ready on ${platform.url} (functions at http://<name>.<namespace>.${domain}:${new URL(platform.url).port} or ${platform.url}/fn/<name>/)`,
  );
  console.log(
    `deploy: hivelab deploy -jsonFile functions.json -gatewayURL ${domain}:${new URL(platform.url).port}` +
      ` (or PUT a FunctionSpec to ${platform.url}/_hivelab/functions/<namespace>/<name>)`,
  );
  // deploy, invoke, functions, delete and logs find this lab through these files.
  const labFiles = writeLabFiles(
    {
      pid: process.pid,
      gatewayUrl: platform.url,
      collectorUrl: collector.url,
      zipkinUrl: `${collector.url}/api/v2/spans`,
      otlpUrl: `${collector.otlpUrl}/v1/traces`,
      dataDir: path.resolve(raw.data),
      domain,
      startedAt: new Date().toISOString(),
    },
    labFilesToWrite(raw.data),
  );
  if (labFiles.length > 0) console.log(`lab: ${labFiles.join(', ')} (other commands find this lab there)`);
  const received = await signal;
  removeLabFiles(labFiles);
  console.log(`hivelab: ${received}, draining functions and stopping`);
  await platform.close();
  await collector.close();
  console.log('hivelab stopped');
}

/** Registers `hivelab up`. */
export function register(program: Command): void {
  program
    .command('up')
    .description('Run the lab: the trace collector and the function platform (gateway on --port).')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'gateway port, HTTP/1.1 and gRPC (0 = any free port)', '8080')
    .option('--collector-port <port>', 'collector port: Zipkin, query APIs, UI (0 = any free port)', '9411')
    .option('--otlp-port <port>', 'OTLP/HTTP port (0 = any free port)', '4318')
    .option('--data <dir>', 'data directory (traces.sqlite, platform state)', '.hivelab')
    .option(
      '--store <store>',
      'trace store: sqlite (in --data; "sqlite?writer=thread" writes in a worker thread), memory, or postgres://user:pass@host:5432/db',
    )
    .option('--domain <domain>', 'function hostnames are <name>.<namespace>.<domain>', 'localhost')
    .option(
      '--snapshots',
      "snapshot cold starts for every function without its own hivelab.dev/cold-start (vHive's -snapshots)",
      false,
    )
    .option('--upf', "vHive's -upf (REAP): hivelab has no REAP, so this is --snapshots, and says so", false)
    .action((flags: RawFlags) => run(flags));
}
