/**
 * The `container` sandbox's driver: checks once that this machine can run containers
 * (runtime, root, pod-network tools), and owns what instances share: the image store
 * (unpacked once per digest under the data dir) and the pool of ready pod networks.
 */
import { mkdirSync } from 'node:fs';
import { UserError } from '../../../errors.js';
import type { FunctionSpec } from '../../function-spec/index.js';
import { RevisionNumbers, podEnv } from '../launch/instance-env.js';
import type { Isolation } from '../accounting/isolation.js';
import type { SandboxLauncher } from '../launch/launcher.js';
import type { Sandbox } from '../sandbox.js';
import { ContainerSandbox } from './container-sandbox.js';
import { ImageStore } from './image-store.js';
import { checkOciRuntime } from './oci-runtime.js';
import { PodNetworkPool } from '../network/pod-network.js';
import { DEFAULT_CONTAINER_PORT } from '../network/pod-network-plan.js';
import path from 'node:path';

export interface ContainerDriverOptions {
  /** Bundles and runtime state. */
  stateDir: string;
  /** Unpacked images; kept across runs. @default `<stateDir>/images` */
  imagesDir?: string;
  /** `runc`, `crun` or a path. @default `HIVELAB_OCI_RUNTIME`, else runc, else crun */
  runtime?: string;
  /** Host folders mounted read-only at the same path in every container. */
  bindMounts?: readonly string[];
  /** Pod networks kept ready per container port. @default 1 */
  networkPoolSize?: number;
  readyTimeoutMs: number;
  isolation: Isolation;
  log: (line: string) => void;
}

function containersOf(spec: FunctionSpec): NonNullable<FunctionSpec['containers']> {
  if (spec.containers && spec.containers.length > 0) return spec.containers;
  throw new UserError(
    `function '${spec.name}': the container sandbox runs OCI images, and its spec names none`,
    'give containers[].image as oci:PATH[:TAG] or docker-archive:FILE.tar, or use hivelab.dev/sandbox: process',
  );
}

/** Creates the container launcher, or throws a UserError saying what this machine lacks. */
export function createContainerLauncher(options: ContainerDriverOptions): SandboxLauncher {
  const check = checkOciRuntime(options.runtime ?? process.env.HIVELAB_OCI_RUNTIME);
  if (!check.ok) throw new UserError(`the container sandbox cannot run here: ${check.problem}`, check.fix);
  if (options.isolation.cgroup === 'none') {
    throw new UserError(
      'the container sandbox cannot run here: no writable cgroup for the pods',
      'run as root on a machine with cgroup v1 or a delegated cgroup v2 tree, or use hivelab.dev/sandbox: process',
    );
  }
  options.log(`sandbox container: ${check.runtime}, ${options.isolation.detail}`);
  mkdirSync(options.stateDir, { recursive: true });
  const images = new ImageStore(options.imagesDir ?? path.join(options.stateDir, 'images'), options.log);
  const networks = new PodNetworkPool(Math.max(0, options.networkPoolSize ?? 1));
  const revisions = new RevisionNumbers();
  const live = new Set<Sandbox>();
  return {
    launch(spec, instanceId, output) {
      const containers = containersOf(spec);
      const sandbox = new ContainerSandbox({
        instanceId,
        protocol: spec.protocol,
        containers,
        containerPort: spec.containerPort ?? DEFAULT_CONTAINER_PORT,
        platformEnv: podEnv(spec, { instanceId, revision: revisions.revisionOf(spec) }, process.env),
        ...(spec.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: spec.memoryLimitBytes }),
        ...(spec.cpuLimitMillicores === undefined ? {} : { cpuLimitMillicores: spec.cpuLimitMillicores }),
        isolation: options.isolation,
        images,
        networks,
        runtime: check.runtime,
        stateDir: options.stateDir,
        ...(options.bindMounts ? { bindMounts: options.bindMounts } : {}),
        readyTimeoutMs: options.readyTimeoutMs,
        ...(output ? { onOutput: output } : {}),
      });
      live.add(sandbox);
      void sandbox.exited.then(() => live.delete(sandbox));
      return sandbox;
    },
    snapshotBuilt: () => Promise.resolve(undefined),
    prewarmAvailable: () => 0,
    // Images are not unpacked here: as in Knative, the first start pulls and unpacks, and says so in its phases.
    async prepare(spec) {
      containersOf(spec);
      await networks.fill(spec.containerPort ?? DEFAULT_CONTAINER_PORT);
    },
    async close() {
      await Promise.all([...live].map((sandbox) => sandbox.stop(2000)));
      await networks.close();
    },
  };
}
