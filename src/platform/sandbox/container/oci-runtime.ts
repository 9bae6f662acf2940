/**
 * The low-level OCI runtime (`runc`, or `crun`) this machine has, and whether hivelab may
 * use it: found on PATH, run as root (rootless containers need a user namespace setup
 * hivelab does not make), and the pod-network tools (network/pod-network-check.ts). Says what is
 * missing and the fix.
 */
import path from 'node:path';
import { findOnPath } from '../launch/find-on-path.js';
import { checkPodNetwork } from '../network/pod-network-check.js';

/** What the container sandbox runs with, or why it cannot. */
export type OciRuntimeCheck =
  { ok: true; runtime: string; name: string } | { ok: false; problem: string; fix: string };

/**
 * Finds the runtime: `preferred` (the driver option or `HIVELAB_OCI_RUNTIME`), else runc,
 * else crun.
 */
export function checkOciRuntime(preferred?: string): OciRuntimeCheck {
  const names = preferred ? [preferred] : ['runc', 'crun'];
  const found = names.map((n) => ({
    name: path.basename(n),
    runtime: path.isAbsolute(n) ? n : findOnPath(n),
  }));
  const usable = found.find((f) => f.runtime !== undefined);
  if (!usable?.runtime) {
    return {
      ok: false,
      problem: `no OCI runtime found (looked for ${names.join(', ')} on PATH)`,
      fix: 'install runc (Debian/Ubuntu: apt-get install -y runc), or use hivelab.dev/sandbox: process',
    };
  }
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      problem: `the container sandbox needs root (namespaces, cgroups, pod networks); hivelab runs as uid ${process.getuid?.() ?? '?'}`,
      fix: 'run hivelab as root (sudo), or use hivelab.dev/sandbox: process',
    };
  }
  const network = checkPodNetwork();
  if (!network.ok) return network;
  return { ok: true, runtime: usable.runtime, name: usable.name };
}
