/**
 * Pure: what one image container of a pod runs, as the OCI runtime spec of its bundle. The
 * process is the image's entrypoint and cmd (or the spec's command and args), its env the
 * image's, then the spec's (`$(VAR)` expanded as Kubernetes does), then the platform's; it
 * joins the pod's network namespace and its own cgroup under the pod's.
 */
import { expandEnv, expandVars } from '../../function-spec/index.js';
import type { PodContainer } from './container-plan.js';
import { containerArgv, envList, envRecord, imageProcessDefaults, resolveUser } from './image-config.js';
import type { UnpackedImage } from './image-store.js';
import { runtimeSpec } from './runtime-spec.js';

export interface BundleInput {
  container: PodContainer;
  image: UnpackedImage;
  /** What the platform sets (its URLs as the pod reaches them, `PORT` in the serving container). */
  platformEnv: Record<string, string>;
  hostname: string;
  netnsPath: string;
  cgroupsPath: string;
  bindMounts?: readonly string[];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Pure: what the spec and the platform define in a container (its `env`, `$(VAR)` expanded
 * from the platform's, then the platform's own), which is also what `$(VAR)` in its command
 * and args is expanded from. An image container gets the image's env beneath it.
 */
export function containerEnv(
  container: PodContainer,
  platformEnv: Record<string, string>,
): Record<string, string> {
  return { ...expandEnv(Object.entries(container.env), platformEnv), ...platformEnv };
}

/** The runtime spec (`config.json`) of the container's bundle; throws when it has nothing to run. */
export function containerBundleSpec(input: BundleInput): ReturnType<typeof runtimeSpec> {
  const { container, image, platformEnv } = input;
  const defaults = imageProcessDefaults(image.config);
  const defined = containerEnv(container, platformEnv);
  const env: Record<string, string> = { ...envRecord(defaults.env), ...defined };
  if (env.PATH === undefined) env.PATH = DEFAULT_PATH;
  // $(VAR) in the spec's command and args, from the container's env (not in the image's own).
  const expanded = {
    ...(container.command ? { command: container.command.map((a) => expandVars(a, defined)) } : {}),
    ...(container.args ? { args: container.args.map((a) => expandVars(a, defined)) } : {}),
  };
  const args = containerArgv(defaults, expanded);
  if (args.length === 0) {
    throw new Error(
      `container ${container.name}: image ${container.image} has no entrypoint or cmd, and the spec gives no command`,
    );
  }
  const { uid, gid } = resolveUser(defaults.user, image.passwd, image.group);
  return runtimeSpec({
    rootfs: image.rootfs,
    readonlyRoot: true,
    args,
    env: envList(env),
    cwd: container.workingDir ?? defaults.workingDir,
    uid,
    gid,
    hostname: input.hostname,
    netnsPath: input.netnsPath,
    cgroupsPath: input.cgroupsPath,
    ...(input.bindMounts ? { bindMounts: input.bindMounts } : {}),
  });
}
