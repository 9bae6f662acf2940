/**
 * A process container: a container of the pod that hivelab runs itself instead of the OCI
 * runtime (a built-in standing in for an image it cannot pull, such as vSwarm's relay).
 * It joins the pod's network namespace (`nsenter --net`) and the pod's cgroup (a `sh`
 * wrapper writes its pid, then `exec`s), so it shares the pod's loopback and counts in the
 * pod's limits and accounting like the others; it runs the host's file system.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cgroupWrappedCommand } from '../accounting/instance-cgroup.js';
import { inPodNetworkCommand } from '../network/pod-network-plan.js';

export interface PodProcessPlan {
  command: string[];
  env: Record<string, string>;
  netnsPath: string;
  procsFiles: string[];
  cwd: string;
}

/** Pure: the argv that runs `command` in the pod's namespace and cgroup. */
export function podProcessArgv(plan: Pick<PodProcessPlan, 'command' | 'netnsPath' | 'procsFiles'>): string[] {
  const inCgroup =
    plan.procsFiles.length > 0
      ? cgroupWrappedCommand({ procsFiles: plan.procsFiles }, plan.command)
      : plan.command;
  return inPodNetworkCommand(plan.netnsPath, inCgroup);
}

/** Starts the process container; its stdout and stderr are pipes. */
export function startPodProcess(plan: PodProcessPlan): ChildProcess {
  const [file, ...args] = podProcessArgv(plan);
  return spawn(file!, args, { cwd: plan.cwd, env: plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
}
