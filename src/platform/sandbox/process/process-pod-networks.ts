/**
 * Pod networks for the process sandbox, where this machine allows them (root, ip, iptables,
 * nsenter: network/pod-network-check.ts): the shared pool of ready networks, per container
 * port. Where it does not, or once making one failed, every instance gets the host network
 * and a random `PORT`, said once in the log with the reason and the fix, so the fallback is
 * never silent.
 */
import { readFileSync } from 'node:fs';
import { errorMessage } from '../../../errors.js';
import { checkPodNetwork } from '../network/pod-network-check.js';
import { PodNetworkPool } from '../network/pod-network.js';
import { hostNetwork, podInstanceNetwork } from './instance-network.js';
import type { InstanceNetwork } from './instance-network.js';

/** What a host-network instance loses, for the log lines. */
const FALLBACK = 'process instances share the host network with a random PORT (not containerPort)';

export interface ProcessPodNetworksOptions {
  /** `off`: every instance on the host network, as before pod networks. */
  mode: 'auto' | 'off';
  /** Ready networks per container port. */
  poolSize: number;
  log: (line: string) => void;
}

export class ProcessPodNetworks {
  private pool: PodNetworkPool | undefined;

  constructor(private readonly options: ProcessPodNetworksOptions) {
    if (options.mode === 'off') {
      options.log(`sandbox process: ${FALLBACK}: pod networks are off (HIVELAB_POD_NETWORK=off)`);
      return;
    }
    const check = checkPodNetwork();
    if (!check.ok) {
      options.log(`sandbox process: ${FALLBACK}: ${check.problem}; fix: ${check.fix}`);
      return;
    }
    this.pool = new PodNetworkPool(options.poolSize);
    options.log(
      `sandbox process: each instance in its own network namespace (PORT = containerPort, default 8080)${egressNote()}`,
    );
  }

  /** True while instances get pod networks. */
  get enabled(): boolean {
    return this.pool !== undefined;
  }

  /**
   * A pod network for `containerPort`, or the host network once pod networks failed. The
   * pool refills after `coldStartOver` (the instance ready or failed; see `PodNetworkPool.take`).
   */
  async take(containerPort: number, coldStartOver: Promise<unknown>): Promise<InstanceNetwork> {
    const pool = this.pool;
    if (!pool) return hostNetwork();
    try {
      return podInstanceNetwork(await pool.take(containerPort, coldStartOver));
    } catch (error) {
      if (this.pool === pool) {
        this.pool = undefined;
        this.options.log(
          `sandbox process: making a pod network failed (${errorMessage(error)}): from now on ${FALLBACK}`,
        );
        void pool.close();
      }
      return hostNetwork();
    }
  }

  /** Readies the pool for `containerPort` (before the first launch, outside its cold start). */
  async fill(containerPort: number): Promise<void> {
    await this.pool?.fill(containerPort);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}

/** What the pod can reach beyond the host, said once (the host's own addresses always work). */
function egressNote(): string {
  let forwarding: string;
  try {
    forwarding = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  } catch {
    return '';
  }
  return forwarding === '1'
    ? ''
    : '; pods reach the host but no other network: net.ipv4.ip_forward is 0 (sysctl -w net.ipv4.ip_forward=1 lets them out)';
}
