/**
 * Knative's rules for the containers of a pod: several may run, exactly one declares
 * `ports` (it serves, and gets the traffic), the others are sidecars. Pure.
 */
import { builtinForImage, builtinModulePath } from './builtin-images.js';
import { absoluteImage, isFileImage } from './image-source.js';
import type { ContainerSpec } from './function-spec.js';
import type { KnativeContainer } from './knative-service-schema.js';

const CONTAINERS = 'spec.template.spec.containers';

/** Pure: the index of the serving container (the only one with `ports`; the only one at all). */
export function servingContainerIndex(containers: readonly KnativeContainer[], issues: string[]): number {
  if (containers.length === 1) return 0;
  const withPorts = containers.flatMap((c, i) => ((c.ports?.length ?? 0) > 0 ? [i] : []));
  if (withPorts.length !== 1) {
    issues.push(
      `${CONTAINERS}: expected exactly one container with ports (the one that serves) among ${containers.length}, got ${withPorts.length}${withPorts.length > 1 ? ` (containers ${withPorts.join(', ')})` : ''}`,
    );
    return 0;
  }
  return withPorts[0]!;
}

/** Pure: the declared `containerPort` of a container, if any. */
export function declaredPort(container: KnativeContainer): number | undefined {
  return container.ports?.find((p) => p.containerPort !== undefined)?.containerPort;
}

/** Pure: the container's literal `env` (refusals are reported by the caller's env reader). */
function literalEnv(container: KnativeContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.valueFrom === undefined) env[entry.name] = entry.value === undefined ? '' : String(entry.value);
  }
  return env;
}

/**
 * Pure: the pod's containers for the `container` sandbox, serving one first; images with
 * file paths made absolute against `baseDir`.
 */
export function podContainers(
  containers: readonly KnativeContainer[],
  servingIndex: number,
  baseDir: string,
  issues: string[],
): ContainerSpec[] {
  const order = [servingIndex, ...containers.map((_, i) => i).filter((i) => i !== servingIndex)];
  const used = new Set<string>();
  return order.map((index) => {
    const container = containers[index]!;
    if (container.image === undefined || container.image === '') {
      issues.push(
        `${CONTAINERS}[${index}].image: expected an image (the container sandbox runs images), got nothing`,
      );
    }
    let name = container.name ?? (index === servingIndex ? 'user-container' : `container-${index}`);
    if (used.has(name)) name = `${name}-${index}`;
    used.add(name);
    const image = container.image ?? '';
    // A well-known image hivelab cannot pull here runs as its built-in (vSwarm's relay).
    const builtin = isFileImage(image) ? undefined : builtinForImage(image);
    return {
      ...(builtin === undefined ? {} : { builtin: builtinModulePath(builtin) }),
      name,
      image: absoluteImage(container.image ?? '', baseDir),
      ...(container.command ? { command: container.command } : {}),
      ...(container.args ? { args: container.args } : {}),
      env: literalEnv(container),
      ...(typeof container.workingDir === 'string' ? { workingDir: container.workingDir } : {}),
    };
  });
}
