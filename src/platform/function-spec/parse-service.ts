/**
 * Knative Service YAML → `FunctionSpec`. Pure (no file access): the caller passes the text
 * and the folder it came from, against which relative paths resolve.
 */
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../../errors.js';
import { readAnnotations } from './annotations.js';
import {
  BUILTIN_IMAGES,
  builtinForImage,
  builtinModulePath,
  describeRunnableImages,
} from './builtin-images.js';
import { moduleCommand } from './builtin-spec.js';
import { formatZodIssues } from '../../format-issues.js';
import type { FunctionSpec, Protocol } from './function-spec.js';
import { knativeServiceSchema, type KnativeContainer } from './knative-service-schema.js';
import { expandEnv } from './expand-vars.js';
import { declaredPort, podContainers, servingContainerIndex } from './pod-containers.js';
import { readProbe } from './probe-spec.js';
import type { ProbeSpec, ServingPort } from './probe-spec.js';
import { parseCpuQuantity, parseMemoryQuantity } from './quantity.js';

export interface ParseServiceOptions {
  /** Folder of the YAML file: relative paths resolve against it; the instance's working directory. */
  baseDir: string;
  /** Overrides `metadata.namespace`. @default metadata.namespace, else 'default' */
  namespace?: string;
  /** Overrides `metadata.name` (as `kn service apply NAME -f FILE` does). */
  name?: string;
  /** For messages. */
  fileName?: string;
}

/** Kubernetes object names: DNS labels. */
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONTAINER = 'spec.template.spec.containers[0]';

/**
 * Parses a Knative `serving.knative.dev/v1` `Service` (the only Service of a multi-document
 * file) into a spec with every path absolute.
 * @throws UserError naming the file, each bad field and its expected form.
 */
export function parseServiceYaml(text: string, options: ParseServiceOptions): FunctionSpec {
  const where = options.fileName ?? 'service YAML';
  const fail = (lines: string[], hint?: string): never => {
    throw new UserError(`invalid function spec in ${where}:\n  ${lines.join('\n  ')}`, hint);
  };
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return fail(['no YAML document found']);
  const values: unknown[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) fail(doc.errors.map((e) => `YAML syntax: ${e.message}`));
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  const services = values.filter((v) => isRecord(v) && v.kind === 'Service');
  if (services.length !== 1) {
    const kinds = values.map((v) => (isRecord(v) && typeof v.kind === 'string' ? v.kind : '?')).join(', ');
    fail([
      `expected exactly one document of kind "Service", found ${services.length} (kinds: ${kinds || 'none'})`,
    ]);
  }
  const parsed = knativeServiceSchema.safeParse(services[0], { reportInput: true });
  if (!parsed.success) return fail(formatZodIssues(parsed.error.issues));
  const service = parsed.data;

  const issues: string[] = [];
  const name = options.name ?? service.metadata?.name;
  if (name === undefined) issues.push('metadata.name: expected a name, got nothing');
  else if (!NAME_PATTERN.test(name) || name.length > 63)
    issues.push(
      `metadata.name: expected lower-case letters, digits and "-" (a DNS label), got ${JSON.stringify(name)}`,
    );
  const namespace = options.namespace ?? service.metadata?.namespace ?? 'default';
  if (!NAME_PATTERN.test(namespace))
    issues.push(`metadata.namespace: expected a DNS label, got ${JSON.stringify(namespace)}`);

  const template = service.spec.template;
  const servingIndex = servingContainerIndex(template.spec.containers, issues);
  const container = template.spec.containers[servingIndex] as KnativeContainer;
  const containerConcurrency = template.spec.containerConcurrency ?? 0;
  const annotations = readAnnotations(template.metadata?.annotations ?? {}, {
    baseDir: options.baseDir,
    containerConcurrency,
  });
  issues.push(...annotations.issues);

  const env = readEnv(container, issues);
  const probes = readProbes(template.spec.containers, servingIndex, issues);
  const { sandbox, coldStart, passEnv } = annotations.settings;
  if (sandbox === 'container') {
    const containers = podContainers(template.spec.containers, servingIndex, options.baseDir, issues);
    const resources = readResources(container, issues);
    if (issues.length > 0 || name === undefined) return fail(issues);
    const port = declaredPort(container);
    return {
      name,
      namespace,
      image: containers[0]!.image,
      command: [],
      env,
      ...(passEnv.length > 0 ? { passEnv } : {}),
      workingDir: path.resolve(options.baseDir),
      protocol: readProtocol(container, 'http1'),
      containerConcurrency,
      timeoutMs: (template.spec.timeoutSeconds ?? 300) * 1000,
      ...resources,
      ...(port === undefined ? {} : { containerPort: port }),
      ...probes,
      containers,
      sandbox,
      coldStart,
      autoscaling: annotations.settings.autoscaling,
    };
  }
  if (template.spec.containers.length > 1) {
    issues.push(
      `spec.template.spec.containers: ${template.spec.containers.length} containers in one pod need hivelab.dev/sandbox: container (the ${sandbox} sandbox runs one)`,
    );
  }
  // Kubernetes expands $(VAR) in env values from the entries before; command and args at launch (PORT known then).
  Object.assign(env, expandEnv(Object.entries(env)));
  const runnable = resolveRunnable(container, env, options.baseDir, issues);
  // A function module (built-in or module:) reads its container args from the environment,
  // so that they reach it in every sandbox and cold-start mode alike.
  if (runnable?.handlerModule !== undefined && container.args !== undefined && container.args.length > 0) {
    env.HIVELAB_CONTAINER_ARGS = JSON.stringify(container.args);
  }
  const resources = readResources(container, issues);
  if (issues.length > 0 || runnable === undefined || name === undefined)
    return fail(issues, runnable === undefined ? `hivelab can run ${describeRunnableImages()}` : undefined);

  const protocol = readProtocol(container, runnable.defaultProtocol);
  if (runnable.protocols !== undefined && !runnable.protocols.includes(protocol)) {
    fail([
      `${CONTAINER}.ports: image ${JSON.stringify(runnable.image)} serves ${runnable.protocols.join(' and ')} only, not ${protocol === 'h2c' ? 'gRPC (a port named h2c)' : 'HTTP/1.1'}`,
    ]);
  }
  if (runnable.handlerModule === undefined && (sandbox !== 'process' || coldStart !== 'boot')) {
    fail(
      [
        `spec.template.metadata.annotations: sandbox "${sandbox}" with cold start "${coldStart}" needs a JavaScript function module, but ${CONTAINER} runs a command`,
      ],
      'use image "builtin:<name>" or "module:./my-function.js", or leave hivelab.dev/sandbox=process and hivelab.dev/cold-start=boot',
    );
  }
  return {
    name,
    namespace,
    image: runnable.image,
    command: runnable.command,
    env,
    ...(passEnv.length > 0 ? { passEnv } : {}),
    workingDir: path.resolve(options.baseDir),
    protocol,
    ...(runnable.handlerModule !== undefined ? { handlerModule: runnable.handlerModule } : {}),
    containerConcurrency,
    timeoutMs: (template.spec.timeoutSeconds ?? 300) * 1000,
    ...resources,
    ...probes,
    sandbox,
    coldStart,
    ...(annotations.settings.coldStartAnnotated ? { coldStartAnnotated: true } : {}),
    autoscaling: annotations.settings.autoscaling,
  };
}

/** The serving container's probes; a sidecar's, or a startupProbe, are refused as Knative does. */
function readProbes(
  containers: readonly KnativeContainer[],
  servingIndex: number,
  issues: string[],
): { readinessProbe?: ProbeSpec; livenessProbe?: ProbeSpec } {
  containers.forEach((c, i) => {
    const field = `spec.template.spec.containers[${i}]`;
    if (c.startupProbe !== undefined)
      issues.push(`${field}.startupProbe: not supported; use readinessProbe with initialDelaySeconds`);
    if (i !== servingIndex && (c.readinessProbe !== undefined || c.livenessProbe !== undefined))
      issues.push(
        `${field}: probes are allowed on the serving container only (the one with ports), as in Knative`,
      );
  });
  const serving = containers[servingIndex]!;
  const field = `spec.template.spec.containers[${servingIndex}]`;
  const port: ServingPort = {
    containerPort: declaredPort(serving) ?? 8080,
    name: serving.ports?.[0]?.name || 'http',
  };
  const readinessProbe = readProbe(
    serving.readinessProbe,
    'readiness',
    `${field}.readinessProbe`,
    port,
    issues,
  );
  const livenessProbe = readProbe(serving.livenessProbe, 'liveness', `${field}.livenessProbe`, port, issues);
  return { ...(readinessProbe ? { readinessProbe } : {}), ...(livenessProbe ? { livenessProbe } : {}) };
}

interface Runnable {
  image: string;
  command: string[];
  handlerModule?: string;
  defaultProtocol: Protocol;
  /** The protocols a built-in serves; absent = whatever the YAML says. */
  protocols?: readonly Protocol[];
}

/** `command:` wins; else `GUEST_IMAGE` (vHive's stub convention), else `image:`. */
function resolveRunnable(
  container: KnativeContainer,
  env: Record<string, string>,
  baseDir: string,
  issues: string[],
): Runnable | undefined {
  const guestImage = env.GUEST_IMAGE;
  const image = guestImage ?? container.image ?? '';
  if (container.command !== undefined) {
    const [executable, ...rest] = container.command;
    if (executable === undefined || executable === '') {
      issues.push(`${CONTAINER}.command: expected an executable and its arguments, got an empty list`);
      return undefined;
    }
    const args = [...rest, ...(container.args ?? [])].map((arg) => resolveRelative(arg, baseDir));
    return {
      image: image || executable,
      command: [resolveRelative(executable, baseDir), ...args],
      defaultProtocol: 'http1',
    };
  }
  if (image.startsWith('module:')) {
    const handlerModule = path.resolve(baseDir, image.slice('module:'.length));
    return { image, command: moduleCommand(handlerModule), handlerModule, defaultProtocol: 'http1' };
  }
  const builtin = builtinForImage(image);
  if (builtin === undefined) {
    const field = guestImage !== undefined ? `${CONTAINER}.env[GUEST_IMAGE]` : `${CONTAINER}.image`;
    issues.push(`${field}: hivelab cannot run image ${JSON.stringify(image)}`);
    return undefined;
  }
  const handlerModule = builtinModulePath(builtin);
  const info = BUILTIN_IMAGES[builtin];
  return {
    image,
    command: moduleCommand(handlerModule),
    handlerModule,
    defaultProtocol: info?.defaultProtocol ?? 'http1',
    ...(info ? { protocols: info.protocols } : {}),
  };
}

/** Explicitly relative paths (`./x`, `../x`) become absolute; bare names stay for a PATH lookup. */
function resolveRelative(arg: string, baseDir: string): string {
  return /^\.\.?[/\\]/.test(arg) ? path.resolve(baseDir, arg) : arg;
}

/** Set by the platform for every instance; Knative refuses them in a spec too. */
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']);

function readEnv(container: KnativeContainer, issues: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  (container.env ?? []).forEach((entry, i) => {
    if (RESERVED_ENV.has(entry.name)) {
      issues.push(
        `${CONTAINER}.env[${i}].name: ${entry.name} is reserved (the platform sets ${[...RESERVED_ENV].join(', ')}); expected another name`,
      );
    } else if (entry.valueFrom !== undefined) {
      issues.push(
        `${CONTAINER}.env[${i}].valueFrom: expected a literal value (hivelab has no Secrets or ConfigMaps)`,
      );
    } else {
      // `value:` left empty (e.g. an unset ${VAR} after envsubst) is null: Kubernetes reads it as "".
      env[entry.name] = entry.value === undefined || entry.value === null ? '' : String(entry.value);
    }
  });
  return env;
}

function readProtocol(container: KnativeContainer, fallback: Protocol): Protocol {
  const named = container.ports?.find((p) => p.name !== undefined);
  if (named === undefined) return fallback;
  return named.name === 'h2c' ? 'h2c' : 'http1';
}

function readResources(
  container: KnativeContainer,
  issues: string[],
): { memoryLimitBytes?: number; cpuLimitMillicores?: number } {
  const limits = container.resources?.limits;
  const out: { memoryLimitBytes?: number; cpuLimitMillicores?: number } = {};
  if (limits?.memory !== undefined) {
    const bytes = parseMemoryQuantity(limits.memory);
    if (bytes === undefined)
      issues.push(
        `${CONTAINER}.resources.limits.memory: expected a Kubernetes quantity such as "128Mi", "1G" or "512M", got ${JSON.stringify(limits.memory)}`,
      );
    else out.memoryLimitBytes = bytes;
  }
  if (limits?.cpu !== undefined) {
    const millicores = parseCpuQuantity(limits.cpu);
    if (millicores === undefined)
      issues.push(
        `${CONTAINER}.resources.limits.cpu: expected a Kubernetes quantity such as "500m", "1" or "2.5", got ${JSON.stringify(limits.cpu)}`,
      );
    else out.cpuLimitMillicores = millicores;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
