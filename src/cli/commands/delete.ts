/**
 * `hivelab delete NAME | --all | -f FILE|DIR…`: removes deployed functions (their instances
 * drain and stop); `-f` removes the Services of manifests, as `kubectl delete -f` does.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { loadManifests } from '../../deploy/index.js';
import { UserError } from '../../errors.js';
import { PlatformClient } from '../../platform/index.js';
import { collectFiles } from './apply.js';
import { defaultGateway, gatewayFlag, parseFlags } from '../flags.js';
import { addTargetOptions, deleteKnative, isKnativeTarget } from './knative-target.js';

const DeleteFlags = z.object({
  gateway: gatewayFlag,
  all: z.boolean(),
  filename: z.array(z.string().min(1)).optional(),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS label (lower-case letters, digits, "-")'),
});

/** Pure: `name` or `name.namespace` (as `hivelab functions` prints it) → namespace and name. */
export function parseFunctionRef(ref: string, namespace: string): { namespace: string; name: string } {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9]([-a-z0-9]*[a-z0-9])?))?$/.exec(ref);
  if (!match?.[1]) {
    throw new UserError(
      `invalid function name ${JSON.stringify(ref)}: expected NAME or NAME.NAMESPACE`,
      'see hivelab functions',
    );
  }
  return { name: match[1], namespace: match[3] ?? namespace };
}

export function register(program: Command): void {
  addTargetOptions(program.command('delete'))
    .description('Delete a deployed function, or all of them')
    .argument('[name]', 'NAME or NAME.NAMESPACE (see hivelab functions)')
    .option('--all', 'delete every function', false)
    .option('-f, --filename <file|dir>', 'delete the Services of these manifests (repeatable)', collectFiles)
    .option('-n, --namespace <ns>', 'namespace of NAME', 'default')
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .action(async (name: string | undefined, raw: Record<string, unknown>) => {
      const flags = parseFlags(DeleteFlags, raw, 'delete');
      const client = new PlatformClient(flags.gateway);
      const ways = [flags.all, name !== undefined, flags.filename !== undefined].filter(Boolean).length;
      if (ways !== 1) {
        throw new UserError(
          'delete: give one of a function NAME, --all or -f FILE|DIR',
          'e.g. hivelab delete helloworld-0, or hivelab delete -f examples/video-analytics/inline/',
        );
      }
      if (isKnativeTarget(raw)) {
        return deleteKnative(
          raw,
          name === undefined ? { namespace: flags.namespace } : parseFunctionRef(name, flags.namespace),
        );
      }
      if (flags.filename !== undefined) {
        for (const { spec } of await loadManifests(flags.filename)) {
          await client.remove(spec.namespace, spec.name);
          console.log(`service/${spec.name} deleted (namespace ${spec.namespace})`);
        }
        return;
      }
      if (flags.all) {
        await client.removeAll();
        console.log('Deleted every function.');
        return;
      }
      const ref = parseFunctionRef(name ?? '', flags.namespace);
      await client.remove(ref.namespace, ref.name);
      console.log(`Deleted ${ref.name} in namespace ${ref.namespace}.`);
    });
}
