/**
 * `hivelab envoy import FILES… [--collector URL | --out spans.json]`: Envoy trace/debug
 * logs and eBPF tracer records (seed 003) into Zipkin v2 spans, one span per sidecar stream
 * and one child per stage (`sidecar.stage`). Thin: the work is in `analysis/envoy`.
 */
import type { Command } from 'commander';
import { parseFlag, positiveInt } from '../flags.js';
import { UserError } from '../../errors.js';
import { collectorSink, importSidecarFiles, jsonArraySink, type ImportReport } from '../../analysis/index.js';

interface ImportFlags {
  collector?: string;
  out?: string;
  service?: string;
  taiOffset: string;
  maxTries: string;
}

/** Pure: `37s`, `37000ms` or `37` (seconds) → milliseconds. */
export function parseTaiOffsetMs(text: string): number {
  const match = /^(-?\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match) {
    throw new UserError(
      `invalid --tai-offset ${JSON.stringify(text)}: expected seconds, e.g. 37s or 37000ms`,
    );
  }
  const value = Number(match[1]);
  return match[2] === 'ms' ? value : value * 1000;
}

/** Pure: the summary lines of an import. */
export function formatImportReport(report: ImportReport, destination: string): string[] {
  const lines = [
    `Imported ${report.files} file${report.files === 1 ? '' : 's'} (${report.lines} lines): ` +
      `${report.streams} sidecar stream${report.streams === 1 ? '' : 's'} → ${report.spans} spans to ${destination}` +
      (report.incompleteStreams > 0 ? `; ${report.incompleteStreams} incomplete` : ''),
  ];
  if (report.problemCount > 0) {
    lines.push(`${report.problemCount} line${report.problemCount === 1 ? '' : 's'} not understood:`);
    for (const problem of report.problems) lines.push(`  ${problem.file}:${problem.line}: ${problem.reason}`);
    if (report.problemCount > report.problems.length) {
      lines.push(`  … and ${report.problemCount - report.problems.length} more`);
    }
  }
  return lines;
}

export function register(program: Command): void {
  const envoy = program
    .command('envoy')
    .description('Envoy sidecar logs and eBPF records into spans (seed 003)');
  envoy
    .command('import')
    .description(
      'Turn Envoy trace/debug logs and eBPF tracer records into Zipkin v2 spans with sidecar stages',
    )
    .argument(
      '<files...>',
      'Envoy logs (one per sidecar, kubectl logs -c istio-proxy output included) or tracer files',
    )
    .option('--collector <url>', 'post the spans to this collector (e.g. http://127.0.0.1:9411)')
    .option('--out <file>', 'write the spans as a Zipkin v2 JSON array (- for stdout, the default)')
    .option('--service <name>', 'service name of every file (default: from each file name)')
    .option('--tai-offset <duration>', 'TAI − UTC of eBPF timestamps', '37s')
    .option('--max-tries <n>', 'tries per batch when the collector answers 429/503 or is unreachable', '6')
    .action(async (files: string[], flags: ImportFlags) => {
      if (flags.collector !== undefined && flags.out !== undefined) {
        throw new UserError('envoy import: give --collector or --out, not both');
      }
      if (flags.service !== undefined && !/^[\w.:-]+$/.test(flags.service)) {
        throw new UserError(
          `invalid --service ${JSON.stringify(flags.service)}: expected a name like frontend`,
        );
      }
      const taiOffsetMs = parseTaiOffsetMs(flags.taiOffset);
      const maxTries = parseFlag(positiveInt, flags.maxTries, '--max-tries');
      const out = flags.out ?? '-';
      const sink =
        flags.collector !== undefined
          ? collectorSink({ url: flags.collector, maxTries })
          : jsonArraySink(out);
      const report = await importSidecarFiles({
        files,
        sink,
        taiOffsetMs,
        ...(flags.service !== undefined ? { service: flags.service } : {}),
      }).catch((error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
          throw new UserError(
            `error while reading ${(error as Error & { path?: string }).path ?? 'a file'}: no such file`,
          );
        }
        throw error;
      });
      const destination = flags.collector ?? (out === '-' ? 'stdout' : out);
      // With spans on stdout, the summary goes to stderr so the JSON stays clean.
      const print = out === '-' && flags.collector === undefined ? console.error : console.log;
      for (const line of formatImportReport(report, destination)) print(line);
    });
}
