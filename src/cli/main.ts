/**
 * The `hivelab` command. Each sub-command lives in `commands/<name>.ts` and exports
 * `register(program)`; commands are thin and call the library API a user could call.
 */
import { Command, CommanderError } from 'commander';
import { UserError, errorMessage } from '../errors.js';
import { normalizeGoFlags } from './go-flags.js';

export interface CommandModule {
  register(program: Command): void;
}

/** Sub-command modules, in the order `hivelab --help` lists them. */
const COMMAND_MODULES = [
  'up',
  'collector',
  'deploy',
  'apply',
  'functions',
  'delete',
  'logs',
  'invoke',
  'replay',
  'fault',
  'tutorial',
  'experiment',
  'envoy',
  'analyze',
  'trace',
] as const;

async function loadCommands(program: Command): Promise<void> {
  for (const name of COMMAND_MODULES) {
    const module = (await import(`./commands/${name}.js`)) as CommandModule;
    module.register(program);
  }
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('hivelab')
    .description('A serverless and microservice performance lab on one machine.')
    .showHelpAfterError()
    .exitOverride();
  try {
    await loadCommands(program);
    await program.parseAsync(normalizeGoFlags(argv), { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UserError) {
      console.error(`error: ${error.message}`);
      if (error.hint) console.error(`hint: ${error.hint}`);
      return 1;
    }
    console.error(`hivelab: unexpected error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack) console.error(error.stack);
    return 1;
  }
}
