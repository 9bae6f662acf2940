/**
 * `hivelab trace show ID`: the tree of one trace with self times and the critical path, as
 * text, `--json`, or a timeline (`--svg FILE`, `--png FILE`).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  analyzeTraceById,
  openSource,
  parseDurationUs,
  renderTimeline,
  traceTree,
} from '../../analysis/index.js';
import { sourceFlags, sourceOptions, type RawAnalyzeFlags } from './analyze-flags.js';

type ShowFlags = RawAnalyzeFlags & { json?: boolean; svg?: string; png?: string };

async function show(traceId: string, raw: ShowFlags): Promise<void> {
  const maxClockSkewUs = parseDurationUs(raw.maxClockSkew ?? '1s', '--max-clock-skew');
  const source = await openSource(sourceFlags(raw));
  try {
    const report = await analyzeTraceById(source, traceId, { maxClockSkewUs });
    if (raw.svg !== undefined || raw.png !== undefined) {
      if (raw.svg !== undefined) {
        await writeFile(raw.svg, await renderTimeline(report, 'svg'));
        console.error(`wrote ${raw.svg}`);
      }
      if (raw.png !== undefined) {
        await writeFile(raw.png, await renderTimeline(report, 'png'));
        console.error(`wrote ${raw.png}`);
      }
      if (raw.json !== true) return;
    }
    console.log(raw.json === true ? JSON.stringify(report, null, 2) : traceTree(report));
  } finally {
    await source.close();
  }
}

export function register(program: Command): void {
  const trace = program.command('trace').description('Look at one trace');
  sourceOptions(
    trace.command('show').argument('<traceId>').description('The tree with self times and the critical path'),
  )
    .option('--json', 'spans with selfTimeUs and onCriticalPath, the path, totals per operation')
    .option('--svg <file>', 'write a timeline SVG')
    .option('--png <file>', 'write a timeline PNG')
    .action((traceId: string, raw: ShowFlags) => show(traceId, raw));
}
