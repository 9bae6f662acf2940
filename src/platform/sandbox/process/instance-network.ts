/**
 * The network a process instance runs in. As Knative gives each pod, its own: a pod network
 * from the pool (network/), `PORT` = the Service's `containerPort`, the gateway reaching it
 * through the host loopback port DNAT-ed into the pod, the command entered into the
 * namespace with nsenter, hivelab's URLs rewritten to the host end. Or, where pod networks
 * cannot be had (not root, tools missing, a prewarmed runtime that already runs on the
 * host), the host's: a random free loopback `PORT`, the instance's own port.
 */
import { pickFreePort } from '../launch/free-port.js';
import { podReachableEnv } from '../network/pod-env.js';
import type { PodNetwork } from '../network/pod-network.js';
import { inPodNetworkCommand } from '../network/pod-network-plan.js';

export interface InstanceNetwork {
  /** Loopback port on the host where the instance is reached (the gateway, probes). */
  readonly hostPort: number;
  /** `PORT` inside: where the instance must listen. */
  readonly port: number;
  /** In a pod network: the pod's address and its `containerPort`. */
  readonly pod?: { readonly ip: string; readonly containerPort: number };
  /** The instance's env as it must see it there (hivelab's URLs reachable from inside). */
  env(env: Record<string, string>): Record<string, string>;
  /** `command` as run in this network. */
  command(command: string[]): string[];
  /** Frees what the network holds (the pod's namespace, veth and NAT rules). */
  release(): Promise<void>;
}

/**
 * The host's network: a free loopback port (or `listeningOn`, the port a prewarmed runtime
 * already listens on), the instance's `PORT` and the gateway's target alike.
 */
export async function hostNetwork(listeningOn?: number): Promise<InstanceNetwork> {
  const port = listeningOn ?? (await pickFreePort());
  return {
    hostPort: port,
    port,
    env: (env) => env,
    command: (command) => command,
    release: () => Promise.resolve(),
  };
}

/** A pod network taken from the pool, for one instance. */
export function podInstanceNetwork(network: PodNetwork): InstanceNetwork {
  return {
    hostPort: network.hostPort,
    port: network.containerPort,
    pod: { ip: network.plan.podIp, containerPort: network.containerPort },
    env: (env) => podReachableEnv(env, network.plan.hostIp),
    command: (command) => inPodNetworkCommand(network.netnsPath, command),
    release: () => network.remove(),
  };
}
