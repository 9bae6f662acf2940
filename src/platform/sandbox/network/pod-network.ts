/**
 * Pod networks on this machine (see `pod-network-plan.ts`): created with two `ip -batch`
 * runs and two `iptables-restore` runs, removed with one `ip netns del` and one
 * `iptables-restore`. A pool keeps a few ready per container port, so a cold start does not
 * wait for them. The host port of each pod stays bound by a placeholder listener, so no
 * other program on the host takes it while the DNAT rule points it at the pod. A hivelab
 * killed before removing its pods leaves their rules, marked with its pid: the first pod
 * network of a later hivelab process removes them and their namespaces.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { CommandError, runCommand } from '../launch/run-command.js';
import {
  POD_BLOCKS,
  hostNatRules,
  hostSetupBatch,
  podNatRules,
  podNetworkPlan,
  podSetupBatch,
  staleHostRules,
} from './pod-network-plan.js';
import type { PodNetworkPlan } from './pod-network-plan.js';

/** One pod's network, ready for containers to join. */
export interface PodNetwork {
  readonly plan: PodNetworkPlan;
  /** `/run/netns/<name>`: what the runtime spec joins. */
  readonly netnsPath: string;
  /** Loopback port on the host that reaches the pod's `containerPort`. */
  readonly hostPort: number;
  readonly containerPort: number;
  /** Deletes the namespace, the veth pair and the NAT rules. */
  remove(): Promise<void>;
}

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Host ports of pods: below the kernel's ephemeral range, so no `listen(0)` or outgoing connection gets one. */
function hostPortRange(): { low: number; high: number } {
  let ephemeralLow = 32768;
  try {
    ephemeralLow = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
  } catch {
    // Linux's default then.
  }
  return ephemeralLow > 21000 ? { low: 20000, high: ephemeralLow - 1 } : { low: 0, high: 0 };
}

/**
 * Binds the pod's host port. Outside the ephemeral range because a hivelab killed before it
 * removed its pods leaves their DNAT rules until the next one sweeps them: such a port must
 * not be handed to an unrelated program that binds port 0 meanwhile.
 */
async function listenPlaceholder(): Promise<net.Server> {
  const { low, high } = hostPortRange();
  for (let attempt = 0; high > 0 && attempt < 20; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    try {
      return await listenOn(port);
    } catch {
      // Taken: another.
    }
  }
  return listenOn(0);
}

let nextBlock = (process.pid * 37) % POD_BLOCKS;

async function claimBlock(): Promise<PodNetworkPlan> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const plan = podNetworkPlan(nextBlock);
    nextBlock = (nextBlock + 1) % POD_BLOCKS;
    try {
      // `netns add` and `link add` fail with "File exists" when another pod holds the block.
      await runCommand('ip', ['-batch', '-'], hostSetupBatch(plan));
      return plan;
    } catch (error) {
      if (!(error instanceof CommandError) || !/exists/i.test(error.stderr)) throw error;
      if (/netns/.test(error.stderr) || /File exists/.test(error.stderr)) {
        // A half-made block of ours (netns made, link refused): let it go before moving on.
        await runCommand('ip', ['netns', 'del', plan.netns]).catch(() => undefined);
      }
    }
  }
  throw new Error('no free pod network block after 20 tries (stale hivelab-* namespaces? `ip netns list`)');
}

/**
 * Removes the NAT rules and namespaces of pods whose hivelab process is gone (killed before
 * it removed them); resolves with the blocks freed.
 */
export async function removeStalePodNetworks(): Promise<number[]> {
  const stale = staleHostRules(await runCommand('iptables-save', ['-t', 'nat']), (pid) =>
    existsSync(`/proc/${pid}`),
  );
  if (!stale) return [];
  await runCommand('iptables-restore', ['--noflush'], stale.restore);
  await Promise.all(
    stale.blocks.map((block) =>
      runCommand('ip', ['netns', 'del', podNetworkPlan(block).netns]).catch(() => undefined),
    ),
  );
  return stale.blocks;
}

let swept: Promise<unknown> | undefined;

/** Creates one pod network whose host port reaches `containerPort` in the pod. */
export async function createPodNetwork(containerPort: number): Promise<PodNetwork> {
  // Once per process, before its first pod network; never fails a launch.
  swept ??= removeStalePodNetworks().catch(() => undefined);
  await swept;
  const plan = await claimBlock();
  const placeholder = await listenPlaceholder();
  const hostPort = (placeholder.address() as net.AddressInfo).port;
  const undo = async (): Promise<void> => {
    placeholder.close();
    await runCommand(
      'iptables-restore',
      ['--noflush'],
      hostNatRules(plan, hostPort, containerPort, '-D', process.pid),
    ).catch(() => undefined);
    await runCommand('ip', ['netns', 'del', plan.netns]).catch(() => undefined);
  };
  try {
    // Packets from 127.0.0.1 may leave through the veth, and the pod's calls be DNAT-ed to the
    // host's 127.0.0.1, only with route_localnet on it.
    writeFileSync(`/proc/sys/net/ipv4/conf/${plan.hostInterface}/route_localnet`, '1');
    await runCommand('ip', ['-n', plan.netns, '-batch', '-'], podSetupBatch(plan));
    await runCommand(
      'ip',
      [
        'netns',
        'exec',
        plan.netns,
        'sh',
        '-c',
        'echo 1 > /proc/sys/net/ipv4/conf/eth0/route_localnet && exec iptables-restore --noflush',
      ],
      podNatRules(),
    );
    await runCommand(
      'iptables-restore',
      ['--noflush'],
      hostNatRules(plan, hostPort, containerPort, '-A', process.pid),
    );
  } catch (error) {
    await undo();
    throw error;
  }
  let removed: Promise<void> | undefined;
  return {
    plan,
    netnsPath: `/run/netns/${plan.netns}`,
    hostPort,
    containerPort,
    remove: () => (removed ??= undo()),
  };
}

/** After a cold start, how long the pool waits to refill (its first request is on its way). */
const REFILL_DELAY_MS = 100;

/** Keeps `size` pod networks ready per container port; refills in the background after a take. */
export class PodNetworkPool {
  private readonly ready = new Map<number, Promise<PodNetwork>[]>();
  private closed = false;

  constructor(private readonly size: number) {}

  /** Makes sure `size` networks for `containerPort` are on their way; resolves when they are ready. */
  async fill(containerPort: number): Promise<void> {
    const list = this.listFor(containerPort);
    while (!this.closed && list.length < this.size) {
      const pending = createPodNetwork(containerPort);
      pending.catch(() => undefined);
      list.push(pending);
    }
    await Promise.all(list.map((p) => p.catch(() => undefined)));
  }

  /**
   * A network for `containerPort`: a ready one if any, else a new one. The pool refills
   * `REFILL_DELAY_MS` after `coldStartOver` settles (the instance ready or failed): making a
   * network costs ~4 process starts (ip, iptables-restore), CPU that the cold start and the
   * first request it lets through would otherwise share (on the 2-core benchmark machine,
   * refilling during the start made process boots ~40 ms slower and container starts 1.2×
   * bare runc instead of 1.0×). Without it, the pool refills at once.
   */
  async take(containerPort: number, coldStartOver?: Promise<unknown>): Promise<PodNetwork> {
    const list = this.listFor(containerPort);
    const pooled = list.shift();
    if (coldStartOver) {
      const settled = coldStartOver.then(
        () => undefined,
        () => undefined,
      );
      void settled
        .then(() => new Promise<void>((resolve) => setTimeout(resolve, REFILL_DELAY_MS).unref()))
        .then(() => this.fill(containerPort));
    } else {
      void this.fill(containerPort);
    }
    if (pooled) {
      try {
        return await pooled;
      } catch {
        // The pooled one failed: try once more in the foreground, which reports its error.
      }
    }
    return createPodNetwork(containerPort);
  }

  /** Removes the networks still waiting in the pool. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (network) => network.remove(),
          () => undefined,
        ),
      ),
    );
  }

  private listFor(containerPort: number): Promise<PodNetwork>[] {
    let list = this.ready.get(containerPort);
    if (!list) {
      list = [];
      this.ready.set(containerPort, list);
    }
    return list;
  }
}
