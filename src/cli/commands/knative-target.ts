/**
 * `--target knative` of `deploy`, `delete` and `functions`: the options and the thin
 * handlers, kept here so the commands themselves change by a line or two.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../errors.js';
import { z } from 'zod';
import { parseFlag } from '../flags.js';
import { loadKnative, type KnativeClient } from '../../deploy/index.js';

/** The options every command with a target gets. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('--target <target>', 'local (the hivelab platform) or knative (a real cluster)', 'local')
    .option('--kubeconfig <file>', 'knative: the kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'knative: the kubeconfig context (default: its current one)');
}

/** Pure: whether the flags ask for Knative; refuses a target it does not know. */
export function isKnativeTarget(raw: Record<string, unknown>): boolean {
  const target = raw.target ?? 'local';
  if (target !== 'local' && target !== 'knative') {
    throw new UserError(`invalid --target ${JSON.stringify(target)}: expected local or knative`);
  }
  return target === 'knative';
}

async function client(raw: Record<string, unknown>): Promise<KnativeClient> {
  const { KnativeClient } = await loadKnative();
  return new KnativeClient({
    ...(typeof raw.kubeconfig === 'string' ? { kubeconfig: raw.kubeconfig } : {}),
    ...(typeof raw.context === 'string' ? { context: raw.context } : {}),
  });
}

/** `deploy --target knative [--dry-run]`. */
export async function deployKnative(
  raw: Record<string, unknown>,
  flags: { jsonFile: string; endpointsFile: string; funcPath?: string; namespace: string; conc: number },
): Promise<void> {
  const dryRun = raw.dryRun === true;
  const waitSeconds = parseFlag(
    z.coerce.number({ error: 'expected seconds, e.g. 300' }).positive('expected seconds, e.g. 300'),
    raw.waitTimeout ?? '300',
    '--wait-timeout',
  );
  const started = performance.now();
  const knative = dryRun ? undefined : await client(raw);
  const { deployToKnative } = await loadKnative();
  const result = await deployToKnative({
    jsonFile: flags.jsonFile,
    endpointsFile: flags.endpointsFile,
    ...(flags.funcPath !== undefined ? { funcPath: flags.funcPath } : {}),
    namespace: flags.namespace,
    concurrency: flags.conc,
    readyTimeoutMs: waitSeconds * 1000,
    dryRun,
    ...(knative ? { client: knative } : {}),
    // In a dry run stdout is the YAML: everything else goes to stderr.
    log: (line) => (dryRun ? console.error(line) : console.log(line)),
  });
  if (dryRun) {
    process.stdout.write(result.yaml);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const count = result.manifests.length;
  console.log(
    `Deployment finished: ${count} function${count === 1 ? '' : 's'} Ready on ${knative?.server} (context ${knative?.contextName}) in ${seconds} s; ` +
      `endpoints written to ${path.relative(process.cwd(), result.endpointsFile ?? '') || result.endpointsFile}`,
  );
}

/** `delete --target knative NAME | --all` (--all: the Services hivelab deployed in the namespace). */
export async function deleteKnative(
  raw: Record<string, unknown>,
  ref: { namespace: string; name?: string },
): Promise<void> {
  const knative = await client(raw);
  const { MANAGED_BY_LABEL } = await loadKnative();
  if (ref.name !== undefined) {
    if (!(await knative.delete(ref.namespace, ref.name))) {
      throw new UserError(
        `no service ${ref.name} in namespace ${ref.namespace} on ${knative.server}`,
        'see hivelab functions --target knative',
      );
    }
    console.log(`Deleted ${ref.name} in namespace ${ref.namespace}.`);
    return;
  }
  const services = await knative.list(ref.namespace, `${MANAGED_BY_LABEL}=hivelab`);
  for (const service of services) await knative.delete(ref.namespace, service.metadata.name);
  console.log(
    `Deleted ${services.length} service${services.length === 1 ? '' : 's'} hivelab deployed in namespace ${ref.namespace}.`,
  );
}

/** `functions --target knative [--namespace N] [--json]`, like `kn service list`. */
export async function listKnative(raw: Record<string, unknown>): Promise<void> {
  const namespace = typeof raw.namespace === 'string' ? raw.namespace : 'default';
  const services = await (await client(raw)).list(namespace);
  const { formatServicesTable } = await loadKnative();
  console.log(
    raw.json === true ? JSON.stringify(services, null, 2) : formatServicesTable(services, Date.now()),
  );
}
