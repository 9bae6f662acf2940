/**
 * `hivelab apply -f FILE|DIR…`: deploy Knative Service manifests under their own
 * `metadata.name`, as `kubectl apply -f` and vSwarm's `kn_deploy.sh` do. A folder means its
 * `*.yaml`/`*.yml` files (not recursive, sorted); a file may hold several Services; `${VAR}`
 * is replaced from the environment first, as `kn_deploy.sh` does with `envsubst` (vSwarm's
 * S3 manifests carry `${AWS_ACCESS_KEY}` and the like).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError, errorMessage } from '../errors.js';
import type { FunctionStatus } from '../platform/index.js';
import { parseServiceYaml, type FunctionSpec } from '../platform/index.js';

/** What apply needs of the platform (`PlatformClient` has it). */
export interface ApplyTarget {
  deploy(spec: FunctionSpec): Promise<FunctionStatus>;
}

/** One Service found in the manifests. */
export interface ManifestService {
  file: string;
  spec: FunctionSpec;
}

/**
 * Pure: `${NAME}` → `env.NAME` (empty when unset), as envsubst does; `$NAME` without braces
 * is left alone (YAML values such as `$(VAR)` must survive).
 */
export function substituteEnv(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? '');
}

/**
 * Pure: the Services of one manifest file (other kinds, e.g. ConfigMaps, are skipped).
 * @throws UserError naming the file and the bad field
 */
export function servicesOfManifest(text: string, file: string, namespace?: string): FunctionSpec[] {
  const specs: FunctionSpec[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new UserError(`invalid manifest ${file}: YAML syntax: ${doc.errors[0]?.message ?? ''}`);
    }
    const value: unknown = doc.toJS();
    if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Service')
      continue;
    specs.push(
      parseServiceYaml(doc.toString(), {
        baseDir: path.dirname(path.resolve(file)),
        fileName: file,
        ...(namespace !== undefined ? { namespace } : {}),
      }),
    );
  }
  return specs;
}

/** The manifest files that `inputs` name: files as given, folders' `*.yaml`/`*.yml` sorted. */
export async function manifestFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new UserError(`error while reading ${input}: ${errorMessage(error)}`, 'pass -f FILE or -f DIR');
    }
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const names = (await readdir(input)).filter((n) => /\.ya?ml$/i.test(n)).sort();
    if (names.length === 0) throw new UserError(`no *.yaml or *.yml files in ${input}`);
    files.push(...names.map((n) => path.join(input, n)));
  }
  return files;
}

export interface LoadManifestOptions {
  /** Where `${VAR}` values come from; `null` leaves them. @default process.env */
  env?: Record<string, string | undefined> | null;
  /** Overrides every manifest's namespace. */
  namespace?: string;
}

/** Reads and parses every Service of `inputs` before anything is deployed, so a typo costs nothing. */
export async function loadManifests(
  inputs: readonly string[],
  options: LoadManifestOptions = {},
): Promise<ManifestService[]> {
  const env = options.env === undefined ? process.env : options.env;
  const services: ManifestService[] = [];
  for (const file of await manifestFiles(inputs)) {
    const raw = await readFile(file, 'utf8');
    const text = env === null ? raw : substituteEnv(raw, env);
    for (const spec of servicesOfManifest(text, file, options.namespace)) services.push({ file, spec });
  }
  if (services.length === 0) throw new UserError(`no Service manifests in ${inputs.join(', ')}`);
  const seen = new Set<string>();
  for (const { spec, file } of services) {
    const key = `${spec.namespace}/${spec.name}`;
    if (seen.has(key)) throw new UserError(`${file}: Service ${key} is defined twice`);
    seen.add(key);
  }
  return services;
}

/**
 * Deploys every Service (in parallel; each resolves once its initial instances are ready).
 * @throws UserError listing every Service that did not deploy
 */
export async function applyManifests(
  services: readonly ManifestService[],
  target: ApplyTarget,
  log: (line: string) => void = () => undefined,
): Promise<FunctionStatus[]> {
  const results = await Promise.allSettled(
    services.map(async ({ spec }) => {
      const status = await target.deploy(spec);
      log(`service/${spec.name} configured (namespace ${spec.namespace}, ${status.readyInstances} ready)`);
      return status;
    }),
  );
  const failures = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [`${services[i]?.spec.name} (${services[i]?.file}): ${errorMessage(r.reason)}`]
      : [],
  );
  if (failures.length > 0) {
    throw new UserError(
      `${failures.length} of ${services.length} services did not deploy:\n  ${failures.join('\n  ')}`,
    );
  }
  return results.map((r) => (r as PromiseFulfilledResult<FunctionStatus>).value);
}
