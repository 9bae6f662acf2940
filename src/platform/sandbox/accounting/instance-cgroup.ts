/**
 * One instance's cgroup(s): created with its limits before the process runs, joined by
 * the process itself (a `sh` wrapper writes its pid and then `exec`s the command, so no
 * byte is allocated outside the limit), asked after exit whether the OOM killer fired,
 * and removed.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Isolation } from './isolation.js';

export interface InstanceCgroup {
  /** The folder name under each hierarchy's `hivelab/` (unique per instance). */
  name: string;
  /** `cgroup.procs` files a process joins by writing its pid. */
  procsFiles: string[];
  /** True once the kernel OOM killer killed a process in this cgroup. */
  oomKilled(): boolean;
  remove(): void;
}

/** CFS period used for CPU quotas (Kubernetes uses the same 100 ms). */
const CPU_PERIOD_US = 100_000;

/** Pure: the OOM-kill count in a memory.oom_control (v1) or memory.events (v2) text. */
export function parseOomKillCount(text: string): number {
  const match = /^oom_kill\s+(\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

function safeName(instanceId: string): string {
  return `${instanceId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${process.pid}-${Date.now().toString(36)}`;
}

export interface CgroupLimits {
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
}

/** Creates the cgroup(s) for one instance; `undefined` when isolation has no cgroup. */
export function createInstanceCgroup(
  isolation: Isolation,
  instanceId: string,
  limits: CgroupLimits,
): InstanceCgroup | undefined {
  const name = safeName(instanceId);
  const quotaUs =
    limits.cpuLimitMillicores === undefined
      ? undefined
      : Math.max(1000, Math.round((limits.cpuLimitMillicores / 1000) * CPU_PERIOD_US));
  if (isolation.cgroup === 'v1' && isolation.roots.memory) {
    const dirs: string[] = [];
    const memoryDir = path.join(isolation.roots.memory, name);
    mkdirSync(memoryDir, { recursive: true });
    dirs.push(memoryDir);
    if (limits.memoryLimitBytes !== undefined) {
      writeFileSync(path.join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryLimitBytes));
      // Without this the kernel would swap the instance instead of killing it at the limit.
      try {
        writeFileSync(path.join(memoryDir, 'memory.swappiness'), '0');
      } catch {
        // Not every kernel exposes swappiness per cgroup.
      }
    }
    if (isolation.roots.cpu && quotaUs !== undefined) {
      const cpuDir = path.join(isolation.roots.cpu, name);
      mkdirSync(cpuDir, { recursive: true });
      writeFileSync(path.join(cpuDir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
      writeFileSync(path.join(cpuDir, 'cpu.cfs_quota_us'), String(quotaUs));
      dirs.push(cpuDir);
    }
    return {
      name,
      procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')),
      oomKilled: () => parseOomKillCount(readSafe(path.join(memoryDir, 'memory.oom_control'))) > 0,
      remove: () => removeDirs(dirs),
    };
  }
  if (isolation.cgroup === 'v2' && isolation.roots.v2) {
    const dir = path.join(isolation.roots.v2, name);
    mkdirSync(dir, { recursive: true });
    if (limits.memoryLimitBytes !== undefined) {
      writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryLimitBytes));
      writeFileSync(path.join(dir, 'memory.swap.max'), '0');
    }
    if (quotaUs !== undefined) writeFileSync(path.join(dir, 'cpu.max'), `${quotaUs} ${CPU_PERIOD_US}`);
    return {
      name,
      procsFiles: [path.join(dir, 'cgroup.procs')],
      oomKilled: () => parseOomKillCount(readSafe(path.join(dir, 'memory.events'))) > 0,
      remove: () => removeDirs([dir]),
    };
  }
  return undefined;
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function removeDirs(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch {
      // Still busy for a moment after the exit (the kernel frees the task asynchronously): retry once.
      setTimeout(() => {
        try {
          rmdirSync(dir);
        } catch {
          // Leaves an empty cgroup behind; harmless and reported nowhere else.
        }
      }, 200).unref();
    }
  }
}

/** The argv that runs `command` inside the cgroup: `sh` joins, then `exec`s it. */
export function cgroupWrappedCommand(
  cgroup: Pick<InstanceCgroup, 'procsFiles'>,
  command: string[],
): string[] {
  const joins = cgroup.procsFiles.map((f) => `echo $$ > '${f}'`).join(' && ');
  return ['/bin/sh', '-c', `${joins} && exec "$0" "$@"`, ...command];
}

/** Moves an already running process (a prewarmed runtime) into the cgroup. */
export function joinCgroup(cgroup: InstanceCgroup, pid: number): void {
  for (const file of cgroup.procsFiles) writeFileSync(file, String(pid));
}
