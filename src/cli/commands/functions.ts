/**
 * `hivelab functions`: the deployed functions, like `kn service list` (NAME URL READY
 * DESIRED COLD-STARTS COLD-REQUESTS MODE SANDBOX), or `--json`. COLD-STARTS counts instance
 * starts (deployment's included); COLD-REQUESTS the requests that waited for a start, which
 * is what the invoker's summary calls `cold requests` (several can wait for one start).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import type { FunctionStatus } from '../../platform/index.js';
import { PlatformClient } from '../../platform/index.js';
import { defaultGateway, gatewayFlag, parseFlags } from '../flags.js';
import { addTargetOptions, isKnativeTarget, listKnative } from './knative-target.js';

const HEADERS = [
  'NAME',
  'URL',
  'READY',
  'DESIRED',
  'COLD-STARTS',
  'COLD-REQUESTS',
  'MODE',
  'SANDBOX',
] as const;

/** Pure: the table, columns padded to their widest cell and 3 spaces apart as kn prints them. */
export function formatFunctionsTable(functions: readonly FunctionStatus[]): string {
  if (functions.length === 0) return 'No functions found.';
  const rows: string[][] = [
    [...HEADERS],
    ...functions.map((fn) => [
      fn.namespace === 'default' ? fn.name : `${fn.name}.${fn.namespace}`,
      fn.url,
      String(fn.readyInstances),
      String(fn.desiredInstances),
      String(fn.coldStarts),
      String(fn.coldRequests),
      fn.coldStart,
      fn.sandbox,
    ]),
  ];
  const widths = HEADERS.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd((widths[col] ?? 0) + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

const FunctionsFlags = z.object({ gateway: gatewayFlag, json: z.boolean() });

export function register(program: Command): void {
  addTargetOptions(program.command('functions'))
    .option('-n, --namespace <ns>', 'knative: the namespace to list', 'default')
    .description('List the deployed functions (like kn service list)')
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .option('--json', 'print the FunctionStatus list as JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(FunctionsFlags, raw, 'functions');
      if (isKnativeTarget(raw)) return listKnative(raw);
      const functions = await new PlatformClient(flags.gateway).list();
      console.log(flags.json ? JSON.stringify(functions, null, 2) : formatFunctionsTable(functions));
    });
}
