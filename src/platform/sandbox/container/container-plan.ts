/**
 * What one container-sandbox launch needs: the pod's containers as the spec gives them and
 * the services the sandbox borrows from its driver (image store, pod networks, runtime).
 */
import type { ContainerSpec } from '../../function-spec/index.js';
import type { Isolation } from '../accounting/isolation.js';
import type { ImageStore } from './image-store.js';
import type { PodNetworkPool } from '../network/pod-network.js';
import type { OutputSink } from '../sandbox.js';

/** One container of the pod, as the spec gives it (`builtin` runs in place of the image). */
export type PodContainer = ContainerSpec;

export interface ContainerLaunchPlan {
  instanceId: string;
  protocol: 'http1' | 'h2c';
  /** The serving container first (the one that declares the port), then the others. */
  containers: PodContainer[];
  /** `PORT` of the serving container, where traffic for the pod goes. @default 8080 */
  containerPort: number;
  /** What the platform adds to every container's env (`K_*`, `HIVELAB_*`); `PORT` is added to the serving one. */
  platformEnv: Record<string, string>;
  memoryLimitBytes?: number;
  cpuLimitMillicores?: number;
  isolation: Isolation;
  images: ImageStore;
  networks: PodNetworkPool;
  /** Path of runc or crun. */
  runtime: string;
  /** Bundles and the runtime's state live here. */
  stateDir: string;
  /** Host folders mounted read-only at the same path in every container. */
  bindMounts?: readonly string[];
  readyTimeoutMs: number;
  /** Receives every container's stdout and stderr. */
  onOutput?: OutputSink;
}
