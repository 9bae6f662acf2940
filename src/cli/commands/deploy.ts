/**
 * `hivelab deploy`: vHive's deployer with vHive's flags (`-jsonFile -endpointsFile -funcPath
 * -namespace -gatewayURL -conc`), plus `--gateway` (the platform's admin address; vHive's
 * `-gatewayURL` is only the domain part of hostnames). Thin: validation here, the work in `deploy/`.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { deployFunctions } from '../../deploy/index.js';
import { PlatformClient } from '../../platform/index.js';
import { addTargetOptions, deployKnative, isKnativeTarget } from './knative-target.js';
import { defaultGateway, dnsLabel, gatewayFlag, parseFlags, positiveInt } from '../flags.js';

/**
 * Pure: vHive's `-gatewayURL` (the domain part of hostnames) as `up` prints it, optionally with
 * the gateway's port (`localhost:18080`): the domain, and the port when given.
 */
export function splitGatewayUrl(value: string): { domain: string; port: number | undefined } {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(value);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  return { domain: match?.[1] ?? value, port: port !== undefined && port <= 65535 ? port : undefined };
}

const DeployFlags = z.object({
  jsonFile: z.string().min(1, 'expected the path of functions.json'),
  endpointsFile: z.string().min(1, 'expected a file name, e.g. endpoints.json'),
  funcPath: z.string().min(1, 'expected a folder').optional(),
  namespace: dnsLabel,
  gatewayURL: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/i,
      'expected a domain, optionally with the gateway port, e.g. localhost, localhost:18080 or 192.168.1.240.sslip.io',
    ),
  conc: positiveInt,
  gateway: gatewayFlag,
});
export type DeployFlags = z.infer<typeof DeployFlags>;

export function register(program: Command): void {
  addTargetOptions(program.command('deploy'))
    .option('--dry-run', 'knative: print the manifests as YAML, deploy nothing', false)
    .option('--wait-timeout <seconds>', 'knative: how long each Service may take to be Ready', '300')
    .description(
      "Deploy vHive's functions.json to the platform and write endpoints.json (vHive deployer flags)",
    )
    .option('--jsonFile <file>', 'functions.json: {"functions":[{"name","file","count"}]}', 'functions.json')
    .option('--endpointsFile <file>', 'where to write the endpoints', 'endpoints.json')
    .option('--funcPath <dir>', 'folder of the YAML files (default: the folder of -jsonFile)')
    .option('--namespace <ns>', 'namespace of the functions', 'default')
    .option(
      '--gatewayURL <domain>',
      'domain part of the hostnames in endpoints.json; domain:port also names the gateway port',
      'localhost',
    )
    .option('--conc <n>', 'functions deployed in parallel', '5')
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const flags = parseFlags(DeployFlags, raw, 'deploy', 'go');
      if (isKnativeTarget(raw)) return deployKnative(raw, flags);
      const { domain, port } = splitGatewayUrl(flags.gatewayURL);
      // `-gatewayURL localhost:18080` (the hint `up` prints) names the gateway's port too.
      const gateway =
        port !== undefined && command.getOptionValueSource('gateway') === 'default'
          ? `http://127.0.0.1:${port}`
          : flags.gateway;
      const started = performance.now();
      const result = await deployFunctions({
        jsonFile: flags.jsonFile,
        endpointsFile: flags.endpointsFile,
        ...(flags.funcPath !== undefined ? { funcPath: flags.funcPath } : {}),
        namespace: flags.namespace,
        domain,
        concurrency: flags.conc,
        target: new PlatformClient(gateway),
        log: (line) => console.log(line),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `Deployment finished: ${result.functions.length} function${result.functions.length === 1 ? '' : 's'} ready in ${seconds} s; endpoints written to ${path.relative(process.cwd(), result.endpointsFile) || result.endpointsFile}`,
      );
    });
}
