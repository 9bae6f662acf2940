/**
 * What this machine lets a sandbox use to enforce limits: cgroup v1 controllers, a
 * delegated cgroup v2 tree, or nothing (then memory is policed by sampling /proc RSS).
 * Detection probes by creating and removing a directory, because `access()` says yes to
 * root even on read-only cgroup mounts.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Isolation {
  cgroup: 'v1' | 'v2' | 'none';
  /** How `memoryLimitBytes` is enforced. */
  memoryLimit: 'cgroup' | 'rss-watchdog';
  /** How `cpuLimitMillicores` is enforced. */
  cpuLimit: 'cgroup' | 'none';
  /** `/proc/<pid>/clear_refs` accepts `5` (per-invocation peak RSS works). */
  clearRefs: boolean;
  /** cgroup v1: controller roots; v2: the hivelab parent directory. */
  roots: { memory?: string; cpu?: string; v2?: string };
  /** One line for logs: what was found and why. */
  detail: string;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

function canCreateUnder(dir: string): boolean {
  const probe = path.join(dir, `hivelab-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

function clearRefsWorks(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function detectV2(): string | undefined {
  const controllersFile = path.join(CGROUP_ROOT, 'cgroup.controllers');
  if (!existsSync(controllersFile)) return undefined;
  const controllers = readFileSync(controllersFile, 'utf8').split(/\s+/);
  if (!controllers.includes('memory')) return undefined;
  try {
    // Children of the root may use memory/cpu only if the root delegates them.
    writeFileSync(path.join(CGROUP_ROOT, 'cgroup.subtree_control'), '+memory +cpu');
  } catch {
    return undefined;
  }
  const parent = path.join(CGROUP_ROOT, 'hivelab');
  try {
    mkdirSync(parent, { recursive: true });
    writeFileSync(path.join(parent, 'cgroup.subtree_control'), '+memory +cpu');
  } catch {
    return undefined;
  }
  return canCreateUnder(parent) ? parent : undefined;
}

let cached: Isolation | undefined;

/** Probes once per process; later calls return the same answer. */
export function detectIsolation(): Isolation {
  if (cached) return cached;
  const clearRefs = clearRefsWorks();
  const memoryV1 = path.join(CGROUP_ROOT, 'memory');
  const cpuV1 = path.join(CGROUP_ROOT, 'cpu');
  if (existsSync(path.join(memoryV1, 'memory.limit_in_bytes')) && canCreateUnder(memoryV1)) {
    const cpuOk = existsSync(path.join(cpuV1, 'cpu.cfs_quota_us')) && canCreateUnder(cpuV1);
    cached = {
      cgroup: 'v1',
      memoryLimit: 'cgroup',
      cpuLimit: cpuOk ? 'cgroup' : 'none',
      clearRefs,
      roots: {
        memory: path.join(memoryV1, 'hivelab'),
        ...(cpuOk ? { cpu: path.join(cpuV1, 'hivelab') } : {}),
      },
      detail: `cgroup v1 (${memoryV1}${cpuOk ? `, ${cpuV1}` : ', no cpu controller access'})`,
    };
    return cached;
  }
  const v2 = detectV2();
  if (v2) {
    cached = {
      cgroup: 'v2',
      memoryLimit: 'cgroup',
      cpuLimit: 'cgroup',
      clearRefs,
      roots: { v2 },
      detail: `cgroup v2 (${v2})`,
    };
    return cached;
  }
  cached = {
    cgroup: 'none',
    memoryLimit: 'rss-watchdog',
    cpuLimit: 'none',
    clearRefs,
    roots: {},
    detail: 'no writable cgroup: memory limits enforced by sampling /proc RSS every 100 ms, no CPU limit',
  };
  return cached;
}

/** The answer when cgroups are switched off by option (`cgroups: 'off'`). */
export function isolationWithoutCgroups(): Isolation {
  return {
    cgroup: 'none',
    memoryLimit: 'rss-watchdog',
    cpuLimit: 'none',
    clearRefs: detectIsolation().clearRefs,
    roots: {},
    detail: 'cgroups off by option: memory limits enforced by sampling /proc RSS every 100 ms, no CPU limit',
  };
}
