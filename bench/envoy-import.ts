/**
 * Envoy log import throughput: `npm run bench -- envoy-import [--mb 1024] [--rounds 2] [--file F]`.
 *
 * Writes a trace-level Envoy log of `--mb` MB (the real 1.3x excerpt's request repeated with
 * fresh connection, stream and request ids and advancing times; kept as bench/results/envoy-<mb>mb.log
 * for the next run) and, in one run, per round:
 * - bare limit: the importer's own line reader (1 MiB reads, UTF-8 decode, split on \n), nothing per line;
 * - peer: node:readline over the same file (what a script would do), nothing per line;
 * - ours: `importSidecarFiles` into `jsonArraySink('/dev/null')` (parse, stages, spans, Zipkin JSON).
 * MB/s uses the file's size; ratios are against the bare limit of the same round. Memory:
 * RSS and heap sampled every 100 ms; "heap@10%" is the heap once a tenth of the file is
 * read and "heap max" the largest after that: flat means the two stay close.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { importSidecarFiles, jsonArraySink, readLineBatches } from '../src/analysis/envoy/index.js';
import { packageRoot } from '../src/package-root.js';
import { benchFlags } from './lib/bench-kit.js';

// Bundled into bench/results/ by run.mjs: paths come from the package root.
const resultsDir = path.join(packageRoot, 'bench', 'results');
const excerptPath = path.join(
  packageRoot,
  'src/analysis/envoy/testing/fixtures/envoy-1.32-trace-excerpt.log',
);

/** The excerpt as a template: its ids and times become placeholders. */
function template(): { lines: string[]; times: number[] } {
  const lines = readFileSync(excerptPath, 'utf8').trimEnd().split('\n');
  const base = Date.parse('2024-12-09T11:23:19.591Z');
  const times = lines.map((line) => {
    const match = /^\[2024-12-09 (\d\d:\d\d:\d\d\.\d{3})\]/.exec(line);
    return match ? Date.parse(`2024-12-09T${match[1]}Z`) - base : -1;
  });
  return { lines, times };
}

async function writeLog(file: string, mb: number): Promise<void> {
  const { lines, times } = template();
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const limit = mb * 1024 * 1024;
  let written = 0;
  let startMs = Date.parse('2024-12-09T00:00:00.000Z');
  for (let i = 0; written < limit; i++) {
    const down = `"ConnectionId":"${2 * i}"`;
    const up = `"ConnectionId":"${2 * i + 1}"`;
    const stream = `"StreamId":"${1_000_000_000_000 + i}"`;
    const requestId = `${(0x10000000 + i).toString(16)}-7fb8-49a9-a314-eb5769e3c674`;
    const chunk: string[] = [];
    for (let j = 0; j < lines.length; j++) {
      let line = lines[j]!;
      const t = times[j]!;
      if (t >= 0) {
        const stamp = new Date(startMs + t).toISOString().replace('T', ' ').slice(0, 23);
        line = `[${stamp}` + line.slice(24);
      }
      line = line
        .replace('"ConnectionId":"0","StreamId":"12723980872226558377"', `${down},${stream}`)
        .replace('"ConnectionId":"0"', down)
        .replace('"ConnectionId":"1"', up)
        .replace('4512d319-7fb8-49a9-a314-eb5769e3c674', requestId);
      chunk.push(line);
    }
    const text = chunk.join('\n') + '\n';
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
    startMs += 3;
  }
  out.end();
  await once(out, 'finish');
}

interface Row {
  name: string;
  seconds: number;
  mbPerSecond: number;
  ratio?: number;
  rssMaxMb: number;
  heapAtTenthMb: number;
  heapMaxMb: number;
  detail: string;
}

async function measure(
  name: string,
  sizeBytes: number,
  progress: () => number,
  body: () => Promise<string>,
): Promise<Row> {
  (globalThis as { gc?: () => void }).gc?.();
  let rssMax = 0;
  let heapAtTenth = 0;
  let heapMax = 0;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    rssMax = Math.max(rssMax, usage.rss);
    if (progress() >= 0.1) {
      if (heapAtTenth === 0) heapAtTenth = usage.heapUsed;
      heapMax = Math.max(heapMax, usage.heapUsed);
    }
  }, 100);
  const started = performance.now();
  const detail = await body();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    name,
    seconds,
    mbPerSecond: sizeBytes / 1024 / 1024 / seconds,
    rssMaxMb: mb(rssMax),
    heapAtTenthMb: mb(heapAtTenth),
    heapMaxMb: mb(heapMax),
    detail,
  };
}

const args = benchFlags({
  mb: { type: 'number', default: 1024 },
  rounds: { type: 'number', default: 2, integer: true },
  file: { type: 'string' },
});
const file = args.file ?? path.join(resultsDir, `envoy-${args.mb}mb.log`);
if (!existsSync(file)) {
  const started = performance.now();
  await writeLog(file, args.mb);
  console.log(`wrote ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const size = statSync(file).size;
// Progress for the heap@10% sample: lines read against the lines the file should hold.
const excerptBytes = statSync(excerptPath).size;
const expectedLines = (size / excerptBytes) * 84;
const rows: Row[] = [];
for (let round = 0; round < args.rounds; round++) {
  let lines = 0;
  const linesTotal = { value: expectedLines };
  const bare = await measure(
    'bare: read + split lines',
    size,
    () => lines / expectedLines,
    async () => {
      for await (const batch of readLineBatches(file)) lines += batch.length;
      return `${lines} lines`;
    },
  );
  linesTotal.value = lines;
  let peerLines = 0;
  const peer = await measure(
    'peer: node:readline',
    size,
    () => peerLines / linesTotal.value,
    async () => {
      const reader = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      for await (const _line of reader) peerLines++;
      return `${peerLines} lines`;
    },
  );
  let streams = 0;
  const ours = await measure(
    'ours: envoy import → JSON',
    size,
    () => streams / (linesTotal.value / 84),
    async () => {
      const sink = jsonArraySink('/dev/null');
      const counting = {
        write: async (spans: Parameters<typeof sink.write>[0]) => {
          streams += spans.length / 10;
          await sink.write(spans);
        },
        close: () => sink.close(),
      };
      const report = await importSidecarFiles({ files: [file], sink: counting, service: 'frontend' });
      return `${report.streams} streams, ${report.spans} spans, ${report.problemCount} problems`;
    },
  );
  for (const row of [bare, peer, ours]) {
    row.ratio = row.mbPerSecond / bare.mbPerSecond;
    rows.push(row);
  }
}

console.log(`\nenvoy import, ${(size / 1024 / 1024).toFixed(0)} MB trace-level log (${file})`);
console.log('case                          MB/s   ×bare   s       RSS max  heap@10%  heap max  detail');
for (const row of rows) {
  console.log(
    `${row.name.padEnd(28)}${row.mbPerSecond.toFixed(1).padStart(6)}${(row.ratio ?? 1).toFixed(2).padStart(8)}` +
      `${row.seconds.toFixed(1).padStart(7)}${String(row.rssMaxMb).padStart(9)}MB${String(row.heapAtTenthMb).padStart(8)}MB` +
      `${String(row.heapMaxMb).padStart(8)}MB  ${row.detail}`,
  );
}
writeFileSync(path.join(resultsDir, 'envoy-import.json'), JSON.stringify({ sizeBytes: size, rows }, null, 2));
