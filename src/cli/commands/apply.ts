/**
 * `hivelab apply -f FILE|DIR…`: deploys Knative Service manifests under their own names, as
 * `kubectl apply -f` and vSwarm's `kn_deploy.sh` do (`${VAR}` from the environment first).
 * `hivelab delete -f FILE|DIR…` removes them again (in delete.ts). Thin: the work is in `deploy/`.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { applyManifests, loadManifests } from '../../deploy/index.js';
import { PlatformClient } from '../../platform/index.js';
import { defaultGateway, gatewayFlag, parseFlags } from '../flags.js';

const ApplyFlags = z.object({
  filename: z.array(z.string().min(1)).min(1, 'expected at least one -f FILE or DIR'),
  gateway: gatewayFlag,
  envsubst: z.boolean(),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS label (lower-case letters, digits, "-")')
    .optional(),
});

/** Commander's collector for a repeatable `-f`. */
export function collectFiles(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  program
    .command('apply')
    .description('Deploy Knative Service manifests under their own metadata.name (as kubectl apply -f)')
    .requiredOption(
      '-f, --filename <file|dir>',
      'a manifest file or a folder of them (repeatable)',
      collectFiles,
    )
    .option('-n, --namespace <ns>', 'deploy into this namespace instead of metadata.namespace')
    .option('--no-envsubst', 'leave ${VAR} in the manifests as written')
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(ApplyFlags, raw, 'apply');
      const services = await loadManifests(flags.filename, {
        env: flags.envsubst ? process.env : null,
        ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      });
      await applyManifests(services, new PlatformClient(flags.gateway), (line) => console.log(line));
    });
}
