/**
 * `hivelab logs NAME [--instance ID] [-c CONTAINER] [-f] [--since 10m] [--tail N]
 * [--timestamps]`, like `kubectl logs`: the stdout and stderr of a function's instances
 * (every sandbox kind), kept by the platform under its data dir, crashed instances'
 * included. Without `--instance`, every instance's lines, each prefixed `[instance]`. With
 * `-f` it follows until Ctrl-C, or until the one instance asked for ends.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { PlatformClient } from '../../platform/index.js';
import type { LogsRequest } from '../../platform/index.js';
import { untilSignal } from '../until-signal.js';
import { defaultGateway, gatewayFlag, parseFlags } from '../flags.js';
import { parseFunctionRef } from './delete.js';

const segment = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a name (letters, digits, "-", "_", ".")');

const LogsFlags = z.object({
  gateway: gatewayFlag,
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS label (lower-case letters, digits, "-")'),
  instance: segment.optional(),
  container: segment.optional(),
  follow: z.boolean(),
  since: z
    .string()
    .regex(/^(\d+(\.\d+)?(ms|s|m|h))+$/, 'expected a duration such as 30s, 10m or 1h')
    .optional(),
  tail: z.string().regex(/^\d+$/, 'expected a number of lines (0 or more)').transform(Number).optional(),
  timestamps: z.boolean(),
});

export function register(program: Command): void {
  program
    .command('logs')
    .description("Print the stdout and stderr of a function's instances (like kubectl logs)")
    .argument('<name>', 'NAME or NAME.NAMESPACE (see hivelab functions)')
    .option('-n, --namespace <ns>', 'namespace of NAME', 'default')
    .option('--instance <id>', 'only this instance (ids prefix each line without it)')
    .option('-c, --container <name>', 'only this container of a multi-container pod')
    .option('-f, --follow', 'keep printing lines as they are written', false)
    .option('--since <duration>', 'only lines of the last duration, e.g. 10m, 1h, 30s')
    .option('--tail <lines>', 'only the last lines')
    .option('--timestamps', 'prefix each line with the time it was written (RFC 3339)', false)
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .action(async (ref: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(LogsFlags, raw, 'logs');
      const { namespace, name } = parseFunctionRef(ref, flags.namespace);
      const request: LogsRequest = {
        follow: flags.follow,
        timestamps: flags.timestamps,
        ...(flags.instance !== undefined ? { instance: flags.instance } : {}),
        ...(flags.container !== undefined ? { container: flags.container } : {}),
        ...(flags.since !== undefined ? { since: flags.since } : {}),
        ...(flags.tail !== undefined ? { tail: flags.tail } : {}),
      };
      const abort = new AbortController();
      if (flags.follow) void untilSignal().then(() => abort.abort());
      await new PlatformClient(flags.gateway).logs(
        namespace,
        name,
        request,
        (text) => process.stdout.write(text),
        abort.signal,
      );
    });
}
