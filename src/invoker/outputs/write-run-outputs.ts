/** Writes a run's files: vHive's latency file, the per-request CSV and the JSON summary. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InvokeResult } from '../invoke.js';
import { formatRequestCsv } from './request-csv.js';
import { formatVhiveLatencies, vhiveFileName } from './vhive-output.js';

export interface RunOutputFiles {
  /** `rps<achieved>_<latf>` */
  latencies: string;
  /** `<same base>.requests.csv` */
  requests: string;
  /** `<same base>.summary.json` */
  summary: string;
}

/** Names the three files for `latf` (vHive's `-latf`, default `lat.csv`). */
export function runOutputFiles(achievedRps: number, latf: string): RunOutputFiles {
  const latencies = vhiveFileName(achievedRps, latf);
  const base = latencies.replace(/\.csv$/i, '');
  return { latencies, requests: `${base}.requests.csv`, summary: `${base}.summary.json` };
}

export async function writeRunOutputs(result: InvokeResult, latf: string): Promise<RunOutputFiles> {
  const files = runOutputFiles(result.summary.achievedRps, latf);
  await mkdir(path.dirname(files.latencies), { recursive: true });
  await writeFile(files.latencies, formatVhiveLatencies(result.records));
  await writeFile(files.requests, formatRequestCsv(result.records, result.startEpochMs));
  const summary = result.tracing ? { ...result.summary, tracing: result.tracing } : result.summary;
  await writeFile(files.summary, JSON.stringify(summary, null, 2) + '\n');
  return files;
}
