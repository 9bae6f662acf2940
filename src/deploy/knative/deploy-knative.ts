/**
 * `deploy --target knative`: the same `functions.json` and Service YAMLs as the local
 * deployer, applied to a real cluster; waits for every Service to be Ready and writes
 * vHive's `endpoints.json` from the Services' URLs. Every manifest is built (and every
 * refusal reported) before anything is applied. `dryRun` returns the manifests as YAML.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { UserError, errorMessage } from '../../errors.js';
import { planDeployment, type PlannedFunction } from '../deploy-plan.js';
import { formatEndpointsJson } from '../endpoints-json.js';
import { parseFunctionsJson } from '../functions-json.js';
import type { KnativeClient } from './knative-client.js';
import { knativeManifest, type KnativeService } from './knative-manifest.js';
import { urlHostname } from './knative-status.js';

/** Options of {@link deployToKnative}. */
export interface KnativeDeployOptions {
  jsonFile: string;
  /** @default 'endpoints.json' */
  endpointsFile?: string;
  /** @default the folder of `jsonFile` */
  funcPath?: string;
  /** @default 'default' */
  namespace?: string;
  /** Parallel deployments. @default 5 */
  concurrency?: number;
  /** @default 1; `null` keeps the YAML's. */
  concurrencyTarget?: number | null;
  /** Per Service. @default 300000 */
  readyTimeoutMs?: number;
  /** The cluster; not needed for a dry run. */
  client?: KnativeClient;
  dryRun?: boolean;
  /** Progress and warning lines. */
  log?: (line: string) => void;
}

/** What a Knative deployment did. */
export interface KnativeDeployResult {
  manifests: KnativeService[];
  warnings: string[];
  /** The multi-document YAML of the manifests (what `--dry-run` prints). */
  yaml: string;
  /** Per function: its Service URL (empty in a dry run). */
  urls: string[];
  endpointsFile?: string;
}

/** Pure: manifests as one multi-document YAML. */
export function manifestsYaml(manifests: readonly KnativeService[]): string {
  return manifests.map((manifest) => stringify(manifest)).join('---\n');
}

async function buildManifests(plan: readonly PlannedFunction[], options: KnativeDeployOptions) {
  const texts = new Map<string, string>();
  for (const file of new Set(plan.map((planned) => planned.file))) {
    try {
      texts.set(file, await readFile(file, 'utf8'));
    } catch (error) {
      throw new UserError(
        `error while reading ${file}: ${errorMessage(error)}`,
        'check -funcPath and the "file" fields',
      );
    }
  }
  const manifests: KnativeService[] = [];
  const warnings: string[] = [];
  const refusals: string[] = [];
  for (const planned of plan) {
    try {
      const built = knativeManifest(texts.get(planned.file) ?? '', {
        name: planned.name,
        namespace: planned.namespace,
        fileName: planned.file,
        ...(options.concurrencyTarget !== undefined ? { concurrencyTarget: options.concurrencyTarget } : {}),
      });
      manifests.push(built.manifest);
      warnings.push(...built.warnings);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      refusals.push(error.hint ? `${error.message} (${error.hint})` : error.message);
    }
  }
  if (refusals.length > 0) {
    throw new UserError(
      `${refusals.length} of ${plan.length} functions cannot go to Knative:\n  ${refusals.join('\n  ')}`,
      'nothing was deployed',
    );
  }
  return { manifests, warnings };
}

/** Deploys to Knative (or only builds the manifests when `dryRun`). */
export async function deployToKnative(options: KnativeDeployOptions): Promise<KnativeDeployResult> {
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
  const plan = planDeployment(parseFunctionsJson(text, options.jsonFile), {
    funcPath: options.funcPath ?? path.dirname(path.resolve(options.jsonFile)),
    namespace: options.namespace ?? 'default',
    domain: 'unused',
  });
  const { manifests, warnings } = await buildManifests(plan, options);
  for (const warning of warnings) log(`warning: ${warning}`);
  const yaml = manifestsYaml(manifests);
  if (options.dryRun === true) return { manifests, warnings, yaml, urls: manifests.map(() => '') };
  const client = options.client;
  if (client === undefined) throw new Error('deployToKnative: a client is needed unless dryRun');

  const urls: string[] = new Array<string>(manifests.length).fill('');
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < manifests.length) {
      const index = next++;
      const manifest = manifests[index]!;
      const { namespace, name } = manifest.metadata;
      try {
        await client.apply(manifest);
        urls[index] = await client.waitReady(namespace, name, {
          ...(options.readyTimeoutMs !== undefined ? { timeoutMs: options.readyTimeoutMs } : {}),
          onProgress: (reason) => log(`${name}: waiting (${reason})`),
        });
        log(`deployed ${name}: ${urls[index]}`);
      } catch (error) {
        failures.push(`${name} (${plan[index]?.file}): ${errorMessage(error)}`);
      }
    }
  };
  const limit = Math.max(1, Math.min(options.concurrency ?? 5, manifests.length));
  await Promise.all(Array.from({ length: limit }, worker));
  if (failures.length > 0) {
    throw new UserError(
      `${failures.length} of ${manifests.length} functions did not become Ready on ${client.server}:\n  ${failures.join('\n  ')}`,
      'endpoints.json was not written; see kubectl describe ksvc <name> -n <namespace>',
    );
  }
  const endpointsFile = path.resolve(options.endpointsFile ?? 'endpoints.json');
  await writeFile(endpointsFile, formatEndpointsJson(urls.map(urlHostname)));
  return { manifests, warnings, yaml, urls, endpointsFile };
}
