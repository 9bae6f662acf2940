/**
 * Forwarding's cost: `npm run bench -- forward [--spans N] [--connections N] [--rounds N]`.
 *
 * The same ingest load (Zipkin JSON batches of 100 spans, N concurrent keep-alive
 * connections, each request answered after the SQLite commit) into a collector:
 * - without forwarding (the baseline),
 * - forwarding OTLP to a null sink (an HTTP server answering 200 at once: the sender's own cost),
 * - forwarding OTLP to a second hivelab collector (a child process, memory store),
 * - forwarding to a dead target (connection refused: the retry path, queue bounded).
 * Prints ingest spans/s per variant as a ratio of the baseline, and what was forwarded.
 * Needs the build (`npm run build`): the receiver runs dist/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector, type ForwardTarget } from '../src/collector/index.js';
import { SqliteTraceStore } from '../src/store/index.js';
import { batchesOf, makeTrace, rng, round } from './fixtures/hotel-traces.js';
import { benchFlags } from './lib/bench-kit.js';

const root = path.dirname(fileURLToPath(import.meta.url));

function startReceiver(): Promise<{ child: ChildProcess; port: number }> {
  const bin = path.join(root, '..', '..', 'bin', 'hivelab.js');
  const child = spawn(
    process.execPath,
    [bin, 'collector', '--port', '0', '--otlp-port', 'none', '--store', 'memory'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /collector ready: Zipkin http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`receiver exited with ${code}: ${out}`)));
  });
}

async function nullSink(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function ingest(url: string, bodies: string[], connections: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(`${url}/api/v2/spans`);
  let next = 0;
  const post = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const status = await post(bodies[next++]!);
        if (status !== 202) throw new Error(`ingest answered ${status}`);
      }
    }),
  );
  agent.destroy();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const args = benchFlags({
    spans: { type: 'number', default: 200_000, integer: true },
    connections: { type: 'number', default: 8, integer: true },
    rounds: { type: 'number', default: 2, integer: true },
  });
  const random = rng(7);
  const spans = [];
  for (let ts = Date.now() * 1000 - 600_000_000; spans.length < args.spans; ts += 500)
    spans.push(...makeTrace(random, ts));
  spans.length = args.spans;
  const bodies = batchesOf(spans, 100).map((b) => JSON.stringify(b));
  const receiver = await startReceiver();
  const sink = await nullSink();
  const dir = mkdtempSync(path.join(tmpdir(), 'hivelab-bench-forward-'));
  const variants: Record<string, ForwardTarget[]> = {
    'no forward (baseline)': [],
    'forward otlp → null sink': [{ protocol: 'otlp', url: `http://127.0.0.1:${sink.port}/v1/traces` }],
    'forward otlp → hivelab collector': [
      { protocol: 'otlp', url: `http://127.0.0.1:${receiver.port}/v1/traces` },
    ],
    'forward zipkin → hivelab collector': [
      { protocol: 'zipkin', url: `http://127.0.0.1:${receiver.port}/api/v2/spans` },
    ],
    'forward otlp → dead target': [{ protocol: 'otlp', url: 'http://127.0.0.1:1/v1/traces' }],
  };
  const best = new Map<string, { spansPerSec: number; forwarded: string }>();
  try {
    for (let r = 0; r < args.rounds; r++) {
      for (const [name, targets] of Object.entries(variants)) {
        const store = await SqliteTraceStore.open({
          dataDir: path.join(dir, `${r}-${name.replace(/\W+/g, '-')}`),
        });
        const collector = await startCollector({
          port: 0,
          otlpPort: null,
          store,
          forward: { targets },
          log: () => undefined,
        });
        const seconds = await ingest(collector.url, bodies, args.connections);
        // Let the forwarder finish (or give up on the dead target) before the next variant.
        const deadline = Date.now() + 30_000;
        while (
          Date.now() < deadline &&
          collector.forwardMetrics().some((m) => m.queued > 0 && !m.url.includes(':1/'))
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const m = collector.forwardMetrics()[0];
        await collector.close();
        const forwarded =
          m === undefined ? '-' : `sent ${m.sent}, retried ${m.retried}, dropped ${m.dropped}`;
        const rate = args.spans / seconds;
        if (rate > (best.get(name)?.spansPerSec ?? 0)) best.set(name, { spansPerSec: rate, forwarded });
      }
    }
    const baseline = best.get('no forward (baseline)')!.spansPerSec;
    const rows = [...best].map(([variant, { spansPerSec, forwarded }]) => ({
      variant,
      ingestSpansPerSec: Math.round(spansPerSec),
      vsNoForward: round(spansPerSec / baseline),
      forwarded,
    }));
    console.log(
      `\ningest: ${args.spans} spans in Zipkin JSON batches of 100 over ${args.connections} connections, ` +
        `acknowledged after the SQLite commit (best of ${args.rounds})`,
    );
    console.table(rows);
    writeFileSync(path.join(root, 'forward.json'), JSON.stringify({ args, rows }, null, 2));
    console.log(`\nwrote ${path.join(root, 'forward.json')}`);
  } finally {
    receiver.child.kill('SIGTERM');
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
