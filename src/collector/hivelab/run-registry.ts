/**
 * The invoker runs the collector knows: the newest `maxRuns` in memory, appended to
 * `runs.jsonl` in the data folder when there is one, so they survive a restart.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRunRecord, type RunRecord } from './run-record.js';

export interface RunRegistry {
  add(run: RunRecord): Promise<void>;
  list(): RunRecord[];
  get(runId: string): RunRecord | undefined;
}

/** @default 500 runs kept */
export const DEFAULT_MAX_RUNS = 500;

/** A registry, loaded from `dataDir/runs.jsonl` when `dataDir` is given. */
export async function openRunRegistry(dataDir?: string, maxRuns = DEFAULT_MAX_RUNS): Promise<RunRegistry> {
  const runs = new Map<string, RunRecord>();
  const file = dataDir === undefined ? undefined : path.join(dataDir, 'runs.jsonl');
  const keep = (run: RunRecord): void => {
    runs.delete(run.runId);
    runs.set(run.runId, run);
    while (runs.size > maxRuns) runs.delete(runs.keys().next().value!);
  };
  if (file) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = parseRunRecord(JSON.parse(line));
        if (!('error' in parsed)) keep(parsed);
      } catch {
        // A torn last line (killed mid-write) is skipped; the runs before it are kept.
      }
    }
  }
  return {
    async add(run) {
      keep(run);
      if (file) {
        await mkdir(path.dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(run)}\n`);
      }
    },
    list: () => [...runs.values()],
    get: (runId) => runs.get(runId),
  };
}
