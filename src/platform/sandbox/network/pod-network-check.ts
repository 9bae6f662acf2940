/**
 * Whether this machine lets hivelab give instances pod networks: root (network namespaces,
 * veth pairs and NAT rules need CAP_NET_ADMIN), `ip`, `iptables-restore` and `nsenter`.
 * Says what is missing and the fix; the process sandbox then falls back to a random host
 * `PORT`, the container sandbox refuses to start.
 */
import { findOnPath } from '../launch/find-on-path.js';

export type PodNetworkCheck = { ok: true } | { ok: false; problem: string; fix: string };

/** The tools a pod network is made and entered with, and their Debian packages. */
const TOOLS: readonly { name: string; pkg: string }[] = [
  { name: 'ip', pkg: 'iproute2' },
  { name: 'iptables-restore', pkg: 'iptables' },
  { name: 'nsenter', pkg: 'util-linux' },
];

/** Pure: the verdict for a uid and the tools found. */
export function podNetworkVerdict(
  uid: number | undefined,
  hasTool: (name: string) => boolean,
): PodNetworkCheck {
  if (uid !== 0) {
    return {
      ok: false,
      problem: `pod networks need root (network namespaces, veth pairs, NAT rules); hivelab runs as uid ${uid ?? '?'}`,
      fix: 'run hivelab as root (sudo)',
    };
  }
  const missing = TOOLS.filter((tool) => !hasTool(tool.name));
  if (missing.length > 0) {
    return {
      ok: false,
      problem: `pod networks need ${missing.map((t) => t.name).join(', ')}, not installed`,
      fix: `apt-get install -y ${[...new Set(missing.map((t) => t.pkg))].join(' ')}`,
    };
  }
  return { ok: true };
}

/** This machine's verdict. */
export function checkPodNetwork(): PodNetworkCheck {
  return podNetworkVerdict(process.getuid?.(), (name) => findOnPath(name) !== undefined);
}
