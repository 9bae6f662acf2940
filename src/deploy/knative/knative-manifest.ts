/**
 * Pure: a vHive/hivelab Service YAML → the Knative Service manifest deployed for one
 * planned function (`<name>-<i>` in its namespace). What the user wrote is kept; changes:
 * name and namespace set, hivelab-only images mapped (see `knative-images.ts`),
 * `hivelab.dev/*` annotations dropped with a warning (Knative has nothing like them), the
 * concurrency target set as vHive's deployer sets it (`kn service apply --concurrency-target 1`),
 * and a `app.kubernetes.io/managed-by: hivelab` label so `delete --all` finds them.
 */
import { parse } from 'yaml';
import { UserError, errorMessage } from '../../errors.js';
import { clusterImage } from './knative-images.js';

/** A Knative Service object (only the parts hivelab reads are typed). */
export interface KnativeService {
  apiVersion: 'serving.knative.dev/v1';
  kind: 'Service';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec: {
    template: {
      metadata?: {
        annotations?: Record<string, string>;
        labels?: Record<string, string>;
        [key: string]: unknown;
      };
      spec: { containers: Array<Record<string, unknown>>; [key: string]: unknown };
    };
    [key: string]: unknown;
  };
}

/** Options of {@link knativeManifest}. */
export interface ManifestOptions {
  name: string;
  namespace: string;
  /** For messages. */
  fileName: string;
  /** `autoscaling.knative.dev/target` set on every function; `null` keeps the YAML's. @default 1 */
  concurrencyTarget?: number | null;
}

/** The label that marks what hivelab deployed. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

const HIVELAB_PREFIX = 'hivelab.dev/';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringMap(value: unknown, where: string, fileName: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new UserError(`${fileName}: ${where} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'boolean' || typeof item === 'number') out[key] = String(item);
    else if (typeof item === 'string') out[key] = item;
    else throw new UserError(`${fileName}: ${where}.${key} must be a string, got ${JSON.stringify(item)}`);
  }
  return out;
}

/** Drops `hivelab.dev/*` keys, with one warning each. */
function dropHivelab(
  map: Record<string, string>,
  where: string,
  name: string,
  warnings: string[],
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (key.startsWith(HIVELAB_PREFIX)) {
      warnings.push(`${name}: dropped annotation ${key}: "${value}" (${where}): Knative has no equivalent`);
    } else kept[key] = value;
  }
  return kept;
}

/** Pure: the manifest and the warnings for one function. @throws UserError naming the file and field. */
export function knativeManifest(
  yamlText: string,
  options: ManifestOptions,
): { manifest: KnativeService; warnings: string[] } {
  const { fileName, name } = options;
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (error) {
    throw new UserError(`error while reading ${fileName}: ${errorMessage(error)}`);
  }
  if (!isRecord(doc) || doc.apiVersion !== 'serving.knative.dev/v1' || doc.kind !== 'Service') {
    throw new UserError(
      `${fileName}: expected a Knative Service (apiVersion: serving.knative.dev/v1, kind: Service)`,
    );
  }
  const spec = isRecord(doc.spec) ? doc.spec : undefined;
  const template = spec && isRecord(spec.template) ? spec.template : undefined;
  const podSpec = template && isRecord(template.spec) ? template.spec : undefined;
  const containers = podSpec?.containers;
  if (!podSpec || !Array.isArray(containers) || containers.length === 0 || !containers.every(isRecord)) {
    throw new UserError(`${fileName}: spec.template.spec.containers must list at least one container`);
  }
  const warnings: string[] = [];
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const templateMetadata = isRecord(template!.metadata) ? template!.metadata : {};
  const annotations = dropHivelab(
    stringMap(metadata.annotations, 'metadata.annotations', fileName),
    'metadata',
    name,
    warnings,
  );
  const templateAnnotations = dropHivelab(
    stringMap(templateMetadata.annotations, 'spec.template.metadata.annotations', fileName),
    'spec.template.metadata',
    name,
    warnings,
  );
  const target = options.concurrencyTarget === undefined ? 1 : options.concurrencyTarget;
  if (target !== null) templateAnnotations['autoscaling.knative.dev/target'] = String(target);

  const mappedContainers = containers.map((container, index) => {
    // Sidecar containers (no ports, not the first) keep their image only if it is a real one.
    const mapped = clusterImage(typeof container.image === 'string' ? container.image : undefined, name);
    const out: Record<string, unknown> = { ...container, image: mapped.image };
    if (
      mapped.port !== undefined &&
      index === 0 &&
      container.ports === undefined &&
      containers.length === 1
    ) {
      out.ports = [mapped.port];
    }
    return out;
  });

  const {
    labels: _labels,
    annotations: _annotations,
    name: _name,
    namespace: _namespace,
    ...restMetadata
  } = metadata;
  const manifest: KnativeService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: {
      ...restMetadata,
      name,
      namespace: options.namespace,
      labels: { ...stringMap(metadata.labels, 'metadata.labels', fileName), [MANAGED_BY_LABEL]: 'hivelab' },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      ...spec,
      template: {
        ...template,
        metadata: { ...templateMetadata, annotations: templateAnnotations },
        spec: { ...podSpec, containers: mappedContainers },
      },
    },
  };
  return { manifest, warnings };
}
