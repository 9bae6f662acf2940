/**
 * The plan of one pod network, as Knative gives every pod: a network namespace with its own
 * loopback and an `eth0` end of a veth pair whose other end (`hl<block>`) stays on the host.
 * Traffic for the pod reaches it as Knative's queue-proxy does, on the pod's loopback:
 * - on the host, `127.0.0.1:<hostPort>` is DNAT-ed to `<pod ip>:<containerPort>` (and
 *   SNAT-ed to the host end), so the gateway, which speaks to loopback ports, needs no change;
 * - in the pod, whatever arrives on `eth0` is DNAT-ed to `127.0.0.1` (same port), so a server
 *   bound to `127.0.0.1`, `0.0.0.0` or `[::]` gets it alike;
 * - the other way, the pod reaches the host at the host end's address (its default route):
 *   TCP that arrives there from the pod is DNAT-ed to the host's `127.0.0.1` (same port), so
 *   the gateway and collector, listening on the host's loopback, are at `<host ip>:<port>`
 *   for the pod (see pod-env.ts), as a Kubernetes pod reaches its node.
 * Pure: commands for `ip -batch` and `iptables-restore`, from a block number.
 */

/** Knative's default `containerPort`: `PORT` in a pod whose Service declares none. */
export const DEFAULT_CONTAINER_PORT = 8080;

/** Pod networks take /30 blocks of this /16. */
export const POD_SUBNET_PREFIX = '10.213';
/** /30 blocks in the /16. */
export const POD_BLOCKS = 16384;

export interface PodNetworkPlan {
  block: number;
  /** Name under /run/netns. */
  netns: string;
  /** The host end of the veth pair. */
  hostInterface: string;
  hostIp: string;
  podIp: string;
}

/** Pure: names and addresses of block `block` (0 ≤ block < POD_BLOCKS). */
export function podNetworkPlan(block: number): PodNetworkPlan {
  const base = block * 4;
  const third = Math.floor(base / 256);
  const fourth = base % 256;
  return {
    block,
    netns: `hivelab-${block}`,
    hostInterface: `hl${block}`,
    hostIp: `${POD_SUBNET_PREFIX}.${third}.${fourth + 1}`,
    podIp: `${POD_SUBNET_PREFIX}.${third}.${fourth + 2}`,
  };
}

/** Pure: `ip -batch` lines run on the host: the namespace and the veth pair. */
export function hostSetupBatch(plan: PodNetworkPlan): string {
  return [
    `netns add ${plan.netns}`,
    `link add ${plan.hostInterface} type veth peer name eth0 netns ${plan.netns}`,
    `addr add ${plan.hostIp}/30 dev ${plan.hostInterface}`,
    `link set ${plan.hostInterface} up`,
    '',
  ].join('\n');
}

/** Pure: `ip -batch` lines run in the pod's namespace. */
export function podSetupBatch(plan: PodNetworkPlan): string {
  return [
    `addr add ${plan.podIp}/30 dev eth0`,
    'link set eth0 up',
    'link set lo up',
    // Every address of the host (not only the host end) is then one hop away; other networks
    // need the host to forward (net.ipv4.ip_forward) and masquerade, see hostNatRules.
    `route add default via ${plan.hostIp}`,
    '',
  ].join('\n');
}

/** Pure: the pod's own NAT: inbound to its loopback. */
export function podNatRules(): string {
  return ['*nat', '-A PREROUTING -i eth0 -p tcp -j DNAT --to-destination 127.0.0.1', 'COMMIT', ''].join('\n');
}

/** Pure: the comment that marks a host rule with the process that owns the pod and its block. */
export function ownerComment(ownerPid: number, block: number): string {
  return `hivelab-pod:${ownerPid}:${block}`;
}

/** Pure: the host's NAT rules of one pod (`-A` to add, `-D` to delete), marked with their owner. */
export function hostNatRules(
  plan: PodNetworkPlan,
  hostPort: number,
  containerPort: number,
  action: '-A' | '-D',
  ownerPid: number,
): string {
  // The mark lets a later hivelab remove what a killed one left (see staleHostRules).
  const mark = `-m comment --comment "${ownerComment(ownerPid, plan.block)}"`;
  return [
    '*nat',
    `${action} OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport ${hostPort} ${mark} -j DNAT --to-destination ${plan.podIp}:${containerPort}`,
    `${action} POSTROUTING -s 127.0.0.1/32 -d ${plan.podIp}/32 ${mark} -j SNAT --to-source ${plan.hostIp}`,
    // The pod's calls to the host end (the gateway, the collector) go to the host's loopback.
    `${action} PREROUTING -i ${plan.hostInterface} -d ${plan.hostIp}/32 -p tcp ${mark} -j DNAT --to-destination 127.0.0.1`,
    // Beyond the host, where it forwards: the pod's address must not leave the machine.
    `${action} POSTROUTING -s ${plan.podIp}/32 ! -o ${plan.hostInterface} ${mark} -j MASQUERADE`,
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Pure: from `iptables-save -t nat`, the rules of pods whose owner process is gone (killed
 * before it removed them), as `iptables-restore` input deleting them, and their blocks. A
 * stale `127.0.0.1:<port>` DNAT would otherwise send a later program's loopback traffic on
 * that port to a dead pod.
 */
export function staleHostRules(
  saved: string,
  isAlive: (pid: number) => boolean,
): { restore: string; blocks: number[] } | undefined {
  const lines: string[] = [];
  const blocks = new Set<number>();
  for (const line of saved.split('\n')) {
    const match = /^-A .*--comment "?hivelab-pod:(\d+):(\d+)"?/.exec(line);
    if (!match || isAlive(Number(match[1]))) continue;
    lines.push(`-D ${line.slice(3)}`);
    blocks.add(Number(match[2]));
  }
  if (lines.length === 0) return undefined;
  return { restore: ['*nat', ...lines, 'COMMIT', ''].join('\n'), blocks: [...blocks] };
}

/** Pure: `command` run in the pod's network namespace (nsenter execs it: the pid stays the command's). */
export function inPodNetworkCommand(netnsPath: string, command: readonly string[]): string[] {
  return ['nsenter', `--net=${netnsPath}`, '--', ...command];
}
