/**
 * Where a running `hivelab up` listens, written to a small JSON file so that `deploy`,
 * `invoke`, `functions`, `delete` and `logs` find that lab without flags (as kubectl finds its
 * cluster through a kubeconfig). `up` writes it into its data dir and as the user's current
 * lab (`~/.hivelab/lab.json`, or `HIVELAB_LAB_FILE`), and removes it when it stops.
 *
 * Lookup order for the other commands: `HIVELAB_LAB_FILE`, `./.hivelab/lab.json`, then
 * `~/.hivelab/lab.json`; a file whose `up` process is gone is ignored.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `hivelab up` writes. */
export interface LabInfo {
  pid: number;
  /** The gateway (functions and the admin API), e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  /** The collector: Zipkin and Jaeger APIs, UI. */
  collectorUrl: string;
  /** Zipkin v2 spans endpoint. */
  zipkinUrl: string;
  /** OTLP/HTTP traces endpoint, when enabled. */
  otlpUrl: string | undefined;
  /** Absolute data dir: traces.sqlite, platform state, instance logs. */
  dataDir: string;
  /** Function hostnames are `<name>.<namespace>.<domain>`. */
  domain: string;
  startedAt: string;
}

const FILE_NAME = 'lab.json';

/** The files `up` writes: its data dir's, and the user's current lab. */
export function labFilesToWrite(dataDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const current = env.HIVELAB_LAB_FILE || path.join(os.homedir(), '.hivelab', FILE_NAME);
  const own = path.join(path.resolve(dataDir), FILE_NAME);
  return own === path.resolve(current) ? [own] : [own, path.resolve(current)];
}

/** Where the other commands look, first match wins. */
export function labFilesToRead(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const files = [path.join(cwd, '.hivelab', FILE_NAME), path.join(os.homedir(), '.hivelab', FILE_NAME)];
  return env.HIVELAB_LAB_FILE ? [env.HIVELAB_LAB_FILE, ...files] : files;
}

/** Writes the lab's file(s); a failure to write one (read-only home) is not fatal. */
export function writeLabFiles(info: LabInfo, files: readonly string[]): string[] {
  const written: string[] = [];
  for (const file of files) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
      written.push(file);
    } catch {
      // The lab still runs; commands then need flags.
    }
  }
  return written;
}

/** Removes the files that still describe this process's lab. */
export function removeLabFiles(files: readonly string[], pid = process.pid): void {
  for (const file of files) {
    if (readLabFile(file, () => true)?.pid === pid) rmSync(file, { force: true });
  }
}

/** Pure-ish: the lab described by `file`, when it parses and its process is alive. */
export function readLabFile(file: string, alive: (pid: number) => boolean = isAlive): LabInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const info = parsed as Partial<LabInfo>;
  if (typeof info.pid !== 'number' || typeof info.gatewayUrl !== 'string') return undefined;
  if (!alive(info.pid)) return undefined;
  return info as LabInfo;
}

/** The running lab, if any (see the lookup order above). */
export function findLab(env: NodeJS.ProcessEnv = process.env): LabInfo | undefined {
  for (const file of labFilesToRead(env)) {
    const info = readLabFile(file);
    if (info) return info;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
