/**
 * The pod's cgroup: hivelab makes it with the instance's limits (`resources.limits`), and
 * the runtime puts each container in a child of it, so every container of the pod counts
 * against one limit and one CPU account, as in a Kubernetes pod cgroup. Because the
 * parent is ours, its OOM count survives the runtime removing the container's cgroup.
 */
import { mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInstanceCgroup } from '../accounting/instance-cgroup.js';
import type { InstanceCgroup } from '../accounting/instance-cgroup.js';
import type { Isolation } from '../accounting/isolation.js';
import { processMemory, resetPeakRss } from '../accounting/proc-stats.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Pure: µs of CPU from a v2 `cpu.stat` text. */
export function parseCpuStatUsageUs(text: string): number {
  const match = /^usage_usec\s+(\d+)/m.exec(text);
  return match ? Number(match[1]) : 0;
}

export class PodCgroup {
  private constructor(
    private readonly isolation: Isolation,
    private readonly own: InstanceCgroup,
  ) {}

  /** Makes the pod's cgroup; `undefined` when this machine gives no writable cgroup. */
  static create(
    isolation: Isolation,
    instanceId: string,
    limits: { memoryLimitBytes?: number; cpuLimitMillicores?: number },
  ): PodCgroup | undefined {
    const own = createInstanceCgroup(isolation, instanceId, limits);
    if (!own) return undefined;
    if (isolation.cgroup === 'v2' && isolation.roots.v2) {
      try {
        writeFileSync(path.join(isolation.roots.v2, own.name, 'cgroup.subtree_control'), '+memory +cpu');
      } catch {
        // Children then have no controllers of their own; the pod's limits still bind them.
      }
    }
    return new PodCgroup(isolation, own);
  }

  /** The runtime's `cgroupsPath` for container `container` of the pod. */
  cgroupsPath(container: string): string {
    return `/hivelab/${this.own.name}/${container}`;
  }

  /**
   * `cgroup.procs` files a process container (one hivelab runs itself, not the runtime)
   * joins: the same place under the pod that the runtime gives a container, in every
   * hierarchy that limits or accounts for it.
   */
  procsFilesFor(container: string): string[] {
    const dirs =
      this.isolation.cgroup === 'v2' && this.isolation.roots.v2
        ? [path.join(this.isolation.roots.v2, this.own.name, container)]
        : ['memory', 'cpu', 'cpuacct'].map((c) =>
            path.join(CGROUP_ROOT, c, 'hivelab', this.own.name, container),
          );
    const files: string[] = [];
    for (const dir of dirs) {
      try {
        mkdirSync(dir, { recursive: true });
        files.push(path.join(dir, 'cgroup.procs'));
      } catch {
        // That hierarchy is not mounted here: the process is not accounted in it.
      }
    }
    return files;
  }

  /**
   * True once the OOM killer fired in the pod. cgroup v2 counts a kill in every ancestor
   * (`memory.events`); v1 counts it only in the victim's own cgroup, which the runtime
   * removes with the container, so there a SIGKILL (`killedBySigkill`) after the pod hit
   * its limit (`memory.failcnt` > 0) counts as the OOM killer's.
   */
  oomKilled(killedBySigkill: boolean): boolean {
    if (this.own.oomKilled()) return true;
    if (this.isolation.cgroup !== 'v1' || !killedBySigkill) return false;
    const failcnt = Number(
      read(path.join(CGROUP_ROOT, 'memory', 'hivelab', this.own.name, 'memory.failcnt')) ?? 0,
    );
    return failcnt > 0;
  }

  /** Pids of every container of the pod. */
  pids(): number[] {
    const base =
      this.isolation.cgroup === 'v2' && this.isolation.roots.v2
        ? path.join(this.isolation.roots.v2, this.own.name)
        : path.join(CGROUP_ROOT, 'memory', 'hivelab', this.own.name);
    const pids: number[] = [];
    const walk = (dir: string): void => {
      for (const line of (read(path.join(dir, 'cgroup.procs')) ?? '').split('\n')) {
        if (/^\d+$/.test(line)) pids.push(Number(line));
      }
      let children: string[];
      try {
        children = readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name);
      } catch {
        return;
      }
      for (const child of children) walk(path.join(dir, child));
    };
    walk(base);
    return pids;
  }

  /** CPU time of the whole pod, µs (cpuacct in v1, cpu.stat in v2). */
  cpuUs(): number {
    if (this.isolation.cgroup === 'v2' && this.isolation.roots.v2) {
      return parseCpuStatUsageUs(read(path.join(this.isolation.roots.v2, this.own.name, 'cpu.stat')) ?? '');
    }
    const ns = Number(
      read(path.join(CGROUP_ROOT, 'cpuacct', 'hivelab', this.own.name, 'cpuacct.usage')) ?? 0,
    );
    return Number.isFinite(ns) ? ns / 1000 : 0;
  }

  /** RSS and peak RSS summed over the pod's processes (as the process sandbox measures one). */
  memory(): { rssBytes: number; peakRssBytes: number } {
    let rssBytes = 0;
    let peakRssBytes = 0;
    for (const pid of this.pids()) {
      const m = processMemory(pid);
      rssBytes += m.rssBytes;
      peakRssBytes += m.peakRssBytes;
    }
    return { rssBytes, peakRssBytes: Math.max(rssBytes, peakRssBytes) };
  }

  resetPeak(): void {
    for (const pid of this.pids()) resetPeakRss(pid);
  }

  /** Removes the pod's folders, the ones the runtime made under other controllers too. */
  remove(containers: readonly string[]): void {
    if (this.isolation.cgroup === 'v1') {
      let controllers: string[] = [];
      try {
        controllers = readdirSync(CGROUP_ROOT);
      } catch {
        // No cgroup mount: nothing to remove.
      }
      for (const controller of controllers) {
        const pod = path.join(CGROUP_ROOT, controller, 'hivelab', this.own.name);
        for (const container of containers) rmdirQuietly(path.join(pod, container));
        rmdirQuietly(pod);
      }
    }
    this.own.remove();
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Absent, or the runtime removes it itself.
  }
}
