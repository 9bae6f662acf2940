/**
 * The environment of an instance, as Knative gives a container: not the host's whole
 * environment, but a few host variables an executable needs to run at all, the spec's
 * `env`, hivelab's own variables and Knative's `K_SERVICE`, `K_CONFIGURATION`,
 * `K_REVISION` (the sandbox adds `PORT`). A function that needs more of the host names it
 * in `hivelab.dev/pass-env`.
 *
 * Why not inherit everything: host variables change what an instance does and costs
 * without the spec saying so. `NODE_EXTRA_CA_CERTS` alone makes every node start parse a
 * CA bundle (~55 ms per start on the benchmark machine); `NODE_OPTIONS` injects flags and
 * `--require` hooks into every instance; `LD_PRELOAD`, proxies and credentials leak in.
 * Pure: the host environment comes in as an argument.
 */
import type { FunctionSpec } from '../../function-spec/function-spec.js';

/**
 * Host variables every instance gets (when the host sets them), because ordinary
 * executables misbehave without them:
 * - `PATH`: a `command:` of a bare name (`python3`), and the function's own subprocesses;
 * - `HOME`: runtimes and libraries look up config and caches under it (pip, npm, git);
 * - `LANG`, `LC_ALL`, `LC_CTYPE`: the text encoding of stdio and file names (Python, Go
 *   and the C library pick it from these; without them many fall back to ASCII);
 * - `TZ`: local time as on the host, so logs line up with the platform's;
 * - `TMPDIR`: where the host wants temporary files (it may not be /tmp);
 * - `USER`, `LOGNAME`: who runs it (getpass, ssh, some loggers fail without either).
 * Deliberately left out: `NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS` and other `NODE_*`,
 * `LD_*`, proxies, `SHELL`, `TERM`, and everything else a container would not see.
 */
export const HOST_ENV_ALLOW_LIST: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'USER',
  'LOGNAME',
];

/**
 * hivelab's own host variables an instance reads through the SDK (`call()` finds the
 * gateway, `traced()` the collector): passed on when the host sets them; the spec's `env`
 * (where the platform puts the collector it knows) wins.
 */
export const HIVELAB_HOST_VARIABLES: readonly string[] = ['HIVELAB_GATEWAY_URL', 'HIVELAB_ZIPKIN_URL'];

type HostEnv = Readonly<Record<string, string | undefined>>;

/** Pure: the named host variables that are set. */
export function pickHostEnv(hostEnv: HostEnv, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = hostEnv[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Knative's revision name: `<service>-00001`, `<service>-00002`, … */
export function revisionName(service: string, generation: number): string {
  return `${service}-${String(generation).padStart(5, '0')}`;
}

/**
 * Pure: the environment of one instance of `spec` (without `PORT`, which the sandbox adds
 * once it picked the port). Later sources win: host allow-list, `hivelab.dev/pass-env`,
 * hivelab's host variables, the spec's `env`, then what the platform sets per instance
 * (the spec parser refuses `PORT` and `K_*` in `env`, as Knative does).
 */
export function instanceEnv(
  spec: Pick<FunctionSpec, 'name' | 'env' | 'passEnv' | 'protocol'>,
  instance: { instanceId: string; revision: string },
  hostEnv: HostEnv,
): Record<string, string> {
  return {
    ...pickHostEnv(hostEnv, HOST_ENV_ALLOW_LIST),
    ...pickHostEnv(hostEnv, spec.passEnv ?? []),
    ...pickHostEnv(hostEnv, HIVELAB_HOST_VARIABLES),
    ...spec.env,
    HIVELAB_FUNCTION_NAME: spec.name,
    HIVELAB_INSTANCE_ID: instance.instanceId,
    HIVELAB_PROTOCOL: spec.protocol,
    K_SERVICE: spec.name,
    // hivelab has no separate Configuration object: as for `kn service create`, it is named after the service.
    K_CONFIGURATION: spec.name,
    K_REVISION: instance.revision,
  };
}

/**
 * Pure: the environment of a generic prewarmed runtime before it knows its function: the
 * allow-list only. Specialising replaces it with the instance's environment.
 */
export function genericRuntimeEnv(hostEnv: HostEnv): Record<string, string> {
  return pickHostEnv(hostEnv, HOST_ENV_ALLOW_LIST);
}

/**
 * Numbers the revisions of each function as Knative does: a launch with a spec that differs
 * from the previous one of the same namespace/name starts the next revision.
 */
export class RevisionNumbers {
  private readonly latest = new Map<string, { fingerprint: string; generation: number }>();

  /** The revision name for a launch of `spec`. */
  revisionOf(spec: FunctionSpec): string {
    const key = `${spec.namespace}/${spec.name}`;
    const fingerprint = JSON.stringify(spec);
    const previous = this.latest.get(key);
    if (previous?.fingerprint === fingerprint) return revisionName(spec.name, previous.generation);
    const generation = (previous?.generation ?? 0) + 1;
    this.latest.set(key, { fingerprint, generation });
    return revisionName(spec.name, generation);
  }
}

/**
 * Pure: what the platform adds to the env of every container of a pod (the image's env and
 * the container's own `env` come first): `hivelab.dev/pass-env` variables, hivelab's host
 * variables (the spec's `env` values of them win, as the platform sets them there) and the
 * instance's own; not the host allow-list, since the image has its own
 * `PATH` and `HOME` (the sandbox adds `PORT` to the serving container).
 */
export function podEnv(
  spec: Pick<FunctionSpec, 'name' | 'passEnv' | 'protocol'> & { env?: FunctionSpec['env'] },
  instance: { instanceId: string; revision: string },
  hostEnv: HostEnv,
): Record<string, string> {
  return {
    ...pickHostEnv(hostEnv, spec.passEnv ?? []),
    ...pickHostEnv(hostEnv, HIVELAB_HOST_VARIABLES),
    // Where the platform put the gateway and collector it knows (as for a process instance).
    ...pickHostEnv(spec.env ?? {}, HIVELAB_HOST_VARIABLES),
    HIVELAB_FUNCTION_NAME: spec.name,
    HIVELAB_INSTANCE_ID: instance.instanceId,
    HIVELAB_PROTOCOL: spec.protocol,
    K_SERVICE: spec.name,
    K_CONFIGURATION: spec.name,
    K_REVISION: instance.revision,
  };
}
