/**
 * The low-level OCI runtime (`runc`, or `crun`) this machine has, and whether hivelab may
 * use it: found on PATH, run as root (rootless containers need a user namespace setup
 * hivelab does not make), `ip` and `iptables-restore` for pod networks. Says what is
 * missing and the fix.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** What the container sandbox runs with, or why it cannot. */
export type OciRuntimeCheck =
  { ok: true; runtime: string; name: string } | { ok: false; problem: string; fix: string };

/** The first executable `name` on PATH. */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...pathEnv.split(path.delimiter), '/usr/sbin', '/sbin']) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

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
  for (const tool of ['ip', 'iptables-restore']) {
    if (!findOnPath(tool)) {
      return {
        ok: false,
        problem: `pod networks need ${tool}, which is not installed`,
        fix: 'apt-get install -y iproute2 iptables',
      };
    }
  }
  return { ok: true, runtime: usable.runtime, name: usable.name };
}
