/**
 * Collector ingest benchmark: `npm run bench -- ingest [--seconds N] [--clients N]
 * [--batch N] [--store both|sqlite,sqlite-thread,memory] [--profile DIR]`.
 *
 * The collector runs in its own Node process from the build (`dist/`, so run
 * `npx tsc -p tsconfig.json` first), with SQLite in a temp dir and/or the memory store (to
 * separate the store's cost from HTTP and decoding); this process runs `--clients`
 * concurrent keep-alive HTTP clients that POST batches of `--batch` Zipkin v2 JSON spans
 * (unique trace and span ids) for `--seconds`; then the same load against a bare Node HTTP
 * server that only reads the bodies (the transport's limit on this machine). `--profile DIR` writes the collector's
 * V8 CPU profile (`--cpu-prof`) there. `server CPU µs/span` is the server process's CPU time
 * (every thread) per span served: on a shared machine it moves far less than spans/s.
 * Reported beside it, in the same run:
 * - the bare limit: `JSON.parse` of the same bodies on one core (spans/s);
 * - the peer: Grafana Tempo's default per-distributor limit, about 30 000 spans/s — a
 *   published figure, not measured here.
 *
 * Short run: `--seconds 3 --clients 8`; full run: `--seconds 20 --clients 16`.
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { benchFlags, latencyMs } from './lib/bench-kit.js';

interface Args {
  seconds: number;
  clients: number;
  batch: number;
  /** Stores to measure, in order; the first is "ours" in the ratios. */
  stores: StoreKind[];
  profile: string | undefined;
}

interface LoadResult {
  ackedSpans: number;
  requests: number;
  failures: Record<string, number>;
  latenciesMs: number[];
  seconds: number;
}

const TEMPO_DEFAULT_SPANS_PER_S = 30_000;
/** The runner bundles this file into bench/results/, so the package root is two levels up. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const distPath = (...segments: string[]): string => path.join(PACKAGE_ROOT, 'dist', ...segments);
const TRACE_PLACEHOLDER = 'TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT';

function parseArgs(): Args {
  const flags = benchFlags({
    seconds: { type: 'number', default: 10 },
    clients: { type: 'number', default: 8, integer: true },
    batch: { type: 'number', default: 100, integer: true },
    store: { type: 'string', default: 'both' },
    profile: { type: 'string' },
  });
  return {
    seconds: flags.seconds,
    clients: flags.clients,
    batch: flags.batch,
    stores: parseStores(flags.store),
    profile: flags.profile === undefined ? undefined : path.resolve(flags.profile),
  };
}

/** A batch body with a placeholder trace id; span ids are unique within the batch. */
function bodyTemplate(batch: number): string {
  const nowUs = Date.now() * 1000;
  const spans = Array.from({ length: batch }, (_, i) => ({
    traceId: TRACE_PLACEHOLDER,
    id: (i + 1).toString(16).padStart(16, '0'),
    ...(i > 0 ? { parentId: '0000000000000001' } : {}),
    name: i === 0 ? 'get /hotels' : `call-${i % 7}`,
    kind: i === 0 ? 'SERVER' : 'CLIENT',
    timestamp: nowUs + i * 10,
    duration: 1000 + i,
    localEndpoint: { serviceName: `svc-${i % 5}`, ipv4: '10.0.0.1', port: 8080 },
    remoteEndpoint: i > 0 ? { serviceName: `svc-${(i + 1) % 5}` } : undefined,
    tags: { 'http.method': 'GET', 'http.path': `/api/${i % 13}`, 'http.status_code': '200' },
  }));
  return JSON.stringify(spans);
}

function traceIdFor(n: number, salt: number): string {
  return (salt.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')).slice(-32);
}

/** Where the placeholder trace id occurs in a body template. */
function placeholderOffsets(template: Buffer): number[] {
  const offsets: number[] = [];
  for (
    let at = template.indexOf(TRACE_PLACEHOLDER);
    at >= 0;
    at = template.indexOf(TRACE_PLACEHOLDER, at + 1)
  ) {
    offsets.push(at);
  }
  return offsets;
}

/** A copy of the template with a real trace id: cheap, so the load generator keeps up. */
function withTraceId(template: Buffer, offsets: readonly number[], traceId: string): Buffer {
  const body = Buffer.from(template);
  for (const at of offsets) body.write(traceId, at, 'latin1');
  return body;
}

/** The load generator: `clients` keep-alive connections, each posting batches back to back. */
async function generateLoad(
  url: string,
  seconds: number,
  clients: number,
  batch: number,
): Promise<LoadResult> {
  const template = Buffer.from(bodyTemplate(batch));
  const offsets = placeholderOffsets(template);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const salt = (Math.floor(Math.random() * 0xffffffff) | 1) >>> 0; // unsigned: a sign would break the hex id
  let counter = 0;
  const result: LoadResult = { ackedSpans: 0, requests: 0, failures: {}, latenciesMs: [], seconds };
  const target = new URL('/api/v2/spans', url);
  const start = performance.now();
  const end = start + seconds * 1000;
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const body = withTraceId(template, offsets, traceIdFor(++counter, salt));
      const t0 = performance.now();
      let status: number;
      try {
        status = await post(body);
      } catch (error) {
        status = -1;
        result.failures[(error as Error).message] = (result.failures[(error as Error).message] ?? 0) + 1;
      }
      result.latenciesMs.push(performance.now() - t0);
      result.requests += 1;
      if (status === 202) result.ackedSpans += batch;
      else if (status !== -1) result.failures[String(status)] = (result.failures[String(status)] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}

type StoreKind = 'sqlite' | 'sqlite-thread' | 'memory';
type ServerKind = StoreKind | 'bare-http';

/** `--store`: `both` (sqlite then memory) or a comma list of sqlite, sqlite-thread, memory. */
function parseStores(value: string): StoreKind[] {
  if (value === 'both') return ['sqlite', 'memory'];
  const kinds = value.split(',');
  for (const kind of kinds) {
    if (kind !== 'sqlite' && kind !== 'sqlite-thread' && kind !== 'memory') {
      throw new Error(`--store takes both or a comma list of sqlite, sqlite-thread, memory; got "${value}"`);
    }
  }
  return kinds as StoreKind[];
}

/** The transport's bare limit: a Node server that reads each body and answers 202, no decoding. */
const BARE_HTTP_SCRIPT = `
  import http from 'node:http';
  const server = http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { Buffer.concat(chunks); res.writeHead(202, { 'content-length': '0' }); res.end(); });
  });
  server.listen(0, '127.0.0.1', () => process.send({ url: 'http://127.0.0.1:' + server.address().port }));
  process.on('message', (m) => m === 'cpu' ? process.send({ cpu: process.cpuUsage() }) : process.exit(0));`;

/** The store the collector child opens; `undefined` is the collector's default (SQLite, inline). */
function storeExpression(kind: StoreKind, dataDir: string): string {
  if (kind === 'memory') return "await openTraceStore({ kind: 'memory' })";
  if (kind === 'sqlite-thread') {
    return `await openTraceStore({ kind: 'sqlite', writer: 'thread', dataDir: ${JSON.stringify(dataDir)} })`;
  }
  return 'undefined';
}

/** The collector (or the bare HTTP server), in its own process from the build; resolves once it listens. */
function startCollectorProcess(
  kind: ServerKind,
  dataDir: string,
  maxQueuedSpans: number,
  profileDir: string | undefined,
): Promise<{ url: string; cpuMicros: () => Promise<number>; stop: () => Promise<void> }> {
  const script =
    kind === 'bare-http'
      ? BARE_HTTP_SCRIPT
      : `
    import { startCollector } from ${JSON.stringify(distPath('collector', 'index.js'))};
    import { openTraceStore } from ${JSON.stringify(distPath('store', 'index.js'))};
    const store = ${storeExpression(kind, dataDir)};
    const c = await startCollector({ port: 0, otlpPort: null, dataDir: ${JSON.stringify(dataDir)}, store,
      maxQueuedSpans: ${maxQueuedSpans} });
    process.on('message', async (m) => {
      if (m === 'cpu') return process.send({ cpu: process.cpuUsage() });
      await c.close(); process.exit(0);
    });
    process.send({ url: c.url });`;
  const child = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      '--input-type=module',
      '-e',
      script,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`collector process exited with ${code}`)));
    child.once('message', (m: { url: string }) =>
      resolve({
        url: m.url,
        // The collector's own CPU time (user + system, every thread): less sensitive to
        // neighbours on a busy machine than spans/s, which also depends on the load generator.
        cpuMicros: () =>
          new Promise<number>((done) => {
            child.once('message', (r: { cpu: NodeJS.CpuUsage }) => done(r.cpu.user + r.cpu.system));
            child.send('cpu');
          }),
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('stop');
          }),
      }),
    );
  });
}

/** `JSON.parse` of the same bodies on one core, for about `seconds`. */
function bareJsonParse(batch: number, seconds: number): number {
  const template = bodyTemplate(batch);
  const bodies = Array.from({ length: 64 }, (_, i) =>
    template.replaceAll(TRACE_PLACEHOLDER, traceIdFor(i + 1, 7)),
  );
  let spans = 0;
  let sink = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (const body of bodies) {
      sink += (JSON.parse(body) as unknown[]).length;
      spans += batch;
    }
  }
  if (sink !== spans) throw new Error('JSON.parse lost spans');
  return spans / ((performance.now() - start) / 1000);
}

async function measure(kind: ServerKind, args: Args): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hivelab-bench-ingest-'));
  const collector = await startCollectorProcess(kind, dataDir, args.clients * args.batch * 4, args.profile);
  try {
    const cpuBefore = await collector.cpuMicros();
    const load = await generateLoad(collector.url, args.seconds, args.clients, args.batch);
    const cpuUs = (await collector.cpuMicros()) - cpuBefore;
    const servedSpans = load.requests * args.batch;
    const health =
      kind === 'bare-http'
        ? { store: { spanCount: 0, sizeBytes: 0 } }
        : ((await (await fetch(`${collector.url}/health`)).json()) as {
            store: { spanCount: number; sizeBytes: number };
          });
    const latency = latencyMs(load.latenciesMs);
    return {
      name:
        kind === 'bare-http'
          ? 'bare HTTP: Node server reading bodies, answering 202, no decoding'
          : `hivelab collector (${kind} store)`,
      spansPerSecond: Math.round(load.ackedSpans / load.seconds),
      requests: load.requests,
      failures: load.failures,
      cpuUsPerSpan: servedSpans > 0 ? Number((cpuUs / servedSpans).toFixed(2)) : null,
      p50Ms: Number(latency.p50Ms.toFixed(2)),
      p99Ms: Number(latency.p99Ms.toFixed(2)),
      ...(kind === 'bare-http' ? {} : { storedSpans: health.store.spanCount }),
      bytesPerSpan:
        kind !== 'memory' && health.store.spanCount > 0
          ? Math.round(health.store.sizeBytes / health.store.spanCount)
          : null,
    };
  } finally {
    await collector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const rows: Record<string, unknown>[] = [];
  for (const kind of args.stores) rows.push(await measure(kind, args));
  rows.push(await measure('bare-http', args));
  const bare = Math.round(bareJsonParse(args.batch, Math.min(args.seconds, 3)));
  rows.push({ name: 'bare limit: JSON.parse of the same bodies, one core', spansPerSecond: bare });
  rows.push({
    name: 'peer: Grafana Tempo default distributor limit (published, not measured)',
    spansPerSecond: TEMPO_DEFAULT_SPANS_PER_S,
  });
  const ours = rows[0]!.spansPerSecond as number;
  console.log(
    `\ningest: ${args.clients} clients, batches of ${args.batch} Zipkin JSON spans, ${args.seconds} s per store\n`,
  );
  console.table(
    rows.map((r) => ({
      what: r.name,
      'spans/s': r.spansPerSecond,
      'ours (sqlite) / this': Number((ours / (r.spansPerSecond as number)).toFixed(2)),
      'server CPU µs/span': r.cpuUsPerSpan ?? '',
      'p50 ms': r.p50Ms ?? '',
      'p99 ms': r.p99Ms ?? '',
      'bytes/span': r.bytesPerSpan ?? '',
      failures: r.failures ? JSON.stringify(r.failures) : '',
    })),
  );
  const goal = 100_000;
  console.log(`goal >= ${goal} spans/s acknowledged (sqlite): ${ours >= goal ? 'met' : 'NOT met'}`);
  // The runner bundles this file into bench/results/, where the JSON goes too.
  const outDir = path.dirname(fileURLToPath(import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'ingest.json');
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: 'ingest', date: new Date().toISOString(), args, goalSpansPerSecond: goal, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
}

await main();
