/**
 * `hivelab fault set NAME SPEC | clear NAME|--all | list`: faults switched on and off while
 * the app runs, through the running lab's admin API (found through lab.json, as the other
 * commands find it). SPEC is `delay=50ms,cpu=20ms,memory=64Mi,error,crash,share=0.1` (any
 * subset; share defaults to 1). Each injection is recorded: `list` shows the counts,
 * `list --injections` the records, and `<data>/faults.jsonl` keeps every one.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { PlatformClient, parseFaultSpec, type FaultsStatus } from '../../platform/index.js';
import { defaultGateway, gatewayFlag, parseFlags } from '../flags.js';
import { parseFunctionRef } from './delete.js';

const FaultFlags = z.object({ gateway: gatewayFlag, namespace: z.string().min(1, 'expected a namespace') });

/** Pure: the `list` table (FUNCTION SPEC SOURCE SINCE INJECTIONS), then the changes' count. */
export function formatFaultList(status: FaultsStatus, showInjections: boolean): string {
  const lines: string[] = [];
  if (status.active.length === 0) lines.push('No faults set.');
  else {
    const rows = [
      ['FUNCTION', 'SPEC', 'SOURCE', 'SINCE', 'INJECTIONS'],
      ...status.active.map((a) => [
        a.function,
        a.spec,
        a.source,
        new Date(a.sinceMs).toISOString(),
        String(a.injections),
      ]),
    ];
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
    for (const row of rows)
      lines.push(
        row
          .map((cell, col) => cell.padEnd(widths[col]! + 3))
          .join('')
          .trimEnd(),
      );
  }
  if (showInjections) {
    lines.push('', `${status.injections.length} injection(s) recorded (newest last):`);
    for (const r of status.injections)
      lines.push(
        `  ${new Date(r.timeMs).toISOString()}  ${r.function}  ${r.order}  ${r.traceId ?? ''}`.trimEnd(),
      );
  }
  return lines.join('\n');
}

function client(raw: Record<string, unknown>): { client: PlatformClient; namespace: string } {
  const flags = parseFlags(FaultFlags, raw, 'fault');
  return { client: new PlatformClient(flags.gateway), namespace: flags.namespace };
}

export function register(program: Command): void {
  const fault = program
    .command('fault')
    .description('Switch injected faults on and off while functions run (delay, cpu, memory, error, crash)');
  const common = (command: Command): Command =>
    command
      .option('-n, --namespace <ns>', 'namespace of NAME', 'default')
      .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway());
  common(
    fault
      .command('set')
      .description('Inject a fault into a share of a function’s invocations from now on')
      .argument('<name>', 'NAME or NAME.NAMESPACE (see hivelab functions)')
      .argument('<spec>', 'e.g. delay=50ms,share=0.1 or cpu=20ms or memory=64Mi or error or crash'),
  ).action(async (name: string, spec: string, raw: Record<string, unknown>) => {
    const { client: api, namespace } = client(raw);
    try {
      parseFaultSpec(spec);
    } catch (error) {
      throw new UserError(
        `invalid fault spec ${JSON.stringify(spec)}: ${(error as Error).message}`,
        'see hivelab fault set --help',
      );
    }
    const ref = parseFunctionRef(name, namespace);
    const active = await api.setFault(ref.namespace, ref.name, spec);
    console.log(`fault set on ${active.function}: ${active.spec}`);
  });
  common(
    fault
      .command('clear')
      .description('Stop injecting into a function (or every function with --all)')
      .argument('[name]', 'NAME or NAME.NAMESPACE')
      .option('--all', 'clear every fault', false),
  ).action(async (name: string | undefined, raw: Record<string, unknown>) => {
    const { client: api, namespace } = client(raw);
    if ((name === undefined) === (raw.all !== true))
      throw new UserError('fault clear: give a function NAME or --all', 'e.g. hivelab fault clear geo');
    if (name === undefined) {
      const cleared = await api.clearAllFaults();
      console.log(cleared.length === 0 ? 'No faults were set.' : `Cleared: ${cleared.join(', ')}`);
      return;
    }
    const ref = parseFunctionRef(name, namespace);
    const cleared = await api.clearFault(ref.namespace, ref.name);
    console.log(
      cleared
        ? `fault cleared on ${ref.namespace}/${ref.name}`
        : `no fault was set on ${ref.namespace}/${ref.name}`,
    );
  });
  fault
    .command('list')
    .description('The faults in force and how often each was injected')
    .option('--injections', 'also print the recorded injections (newest 10 000)', false)
    .option('--json', 'print the admin API answer as JSON', false)
    .option('--gateway <url>', 'the platform gateway (admin API)', defaultGateway())
    .action(async (raw: Record<string, unknown>) => {
      const { client: api } = client({ namespace: 'default', ...raw });
      const status = await api.faults();
      console.log(
        raw.json === true
          ? JSON.stringify(status, null, 2)
          : formatFaultList(status, raw.injections === true),
      );
    });
}
