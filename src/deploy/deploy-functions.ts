/**
 * The deployer's I/O shell: read `functions.json` and the YAML files, deploy every planned
 * function through the platform's admin API with at most `concurrency` in flight, wait for
 * each to be ready, and write `endpoints.json`. Unlike vHive's deployer, a function that
 * does not deploy fails the run, naming the function and the reason.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import type { FunctionStatus } from '../platform/index.js';
import { parseServiceYaml, type FunctionSpec } from '../platform/index.js';
import { planDeployment, type PlannedFunction } from './deploy-plan.js';
import { formatEndpointsJson } from './endpoints-json.js';
import { parseFunctionsJson } from './functions-json.js';

/** What the deployer needs of the platform (`PlatformClient` has it). */
export interface DeployTarget {
  deploy(spec: FunctionSpec): Promise<FunctionStatus>;
}

export interface DeployOptions {
  jsonFile: string;
  /** @default 'endpoints.json' */
  endpointsFile?: string;
  /** @default the folder of `jsonFile` */
  funcPath?: string;
  /** @default 'default' */
  namespace?: string;
  /** vHive's `-gatewayURL`: the hostname domain. @default 'localhost' */
  domain?: string;
  /** Parallel deployments. @default 5 */
  concurrency?: number;
  /**
   * Knative target concurrency set on every function, as vHive's deployer does with
   * `kn service apply --concurrency-target 1` (the flag wins over the YAML); `null` keeps the YAML's.
   * @default 1
   */
  concurrencyTarget?: number | null;
  target: DeployTarget;
  /** Progress lines. @default none */
  log?: (line: string) => void;
}

export interface DeployResult {
  functions: { planned: PlannedFunction; status: FunctionStatus }[];
  endpointsFile: string;
}

/** Reads every YAML and builds every spec before deploying anything, so a typo costs no deployment. */
async function buildSpecs(plan: readonly PlannedFunction[], options: DeployOptions): Promise<FunctionSpec[]> {
  const texts = new Map<string, string>();
  for (const file of new Set(plan.map((p) => p.file))) {
    try {
      texts.set(file, await readFile(file, 'utf8'));
    } catch (error) {
      throw new UserError(
        `error while reading ${file}: ${errorMessage(error)}`,
        'check -funcPath and the "file" fields',
      );
    }
  }
  const target = options.concurrencyTarget === undefined ? 1 : options.concurrencyTarget;
  return plan.map((planned) => {
    const spec = parseServiceYaml(texts.get(planned.file) ?? '', {
      baseDir: path.dirname(planned.file),
      name: planned.name,
      namespace: planned.namespace,
      fileName: planned.file,
    });
    return target === null ? spec : { ...spec, autoscaling: { ...spec.autoscaling, target } };
  });
}

/** Runs `tasks` with at most `limit` in flight; settles every task. */
async function settleWithLimit<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array<PromiseSettledResult<T>>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      if (!task) continue;
      try {
        results[i] = { status: 'fulfilled', value: await task() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/**
 * Deploys what `functions.json` lists and writes `endpoints.json`.
 * @throws UserError on a bad file or spec (nothing deployed), or listing every function that
 *   did not deploy (endpoints.json is then not written).
 */
export async function deployFunctions(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? (() => undefined);
  let text: string;
  try {
    text = await readFile(options.jsonFile, 'utf8');
  } catch (error) {
    throw new UserError(
      `error while reading ${options.jsonFile}: ${errorMessage(error)}`,
      'pass -jsonFile <path of functions.json>',
    );
  }
  const types = parseFunctionsJson(text, options.jsonFile);
  const plan = planDeployment(types, {
    funcPath: options.funcPath ?? path.dirname(path.resolve(options.jsonFile)),
    namespace: options.namespace ?? 'default',
    domain: options.domain ?? 'localhost',
  });
  const specs = await buildSpecs(plan, options);
  const results = await settleWithLimit(
    specs.map((spec, i) => async () => {
      const status = await options.target.deploy(spec);
      log(`deployed ${plan[i]?.hostname} (${status.readyInstances} ready)`);
      return status;
    }),
    options.concurrency ?? 5,
  );
  const failures = results.flatMap((result, i) =>
    result.status === 'rejected'
      ? [`${plan[i]?.name} (${plan[i]?.file}): ${errorMessage(result.reason)}`]
      : [],
  );
  if (failures.length > 0) {
    throw new UserError(
      `${failures.length} of ${plan.length} functions did not deploy:\n  ${failures.join('\n  ')}`,
      'endpoints.json was not written; fix the functions above and run the deployer again',
    );
  }
  const endpointsFile = path.resolve(options.endpointsFile ?? 'endpoints.json');
  await writeFile(endpointsFile, formatEndpointsJson(plan.map((p) => p.hostname)));
  return {
    functions: plan.map((planned, i) => ({
      planned,
      status: (results[i] as PromiseFulfilledResult<FunctionStatus>).value,
    })),
    endpointsFile,
  };
}
