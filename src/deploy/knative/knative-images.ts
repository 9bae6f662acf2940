/**
 * Pure: what a hivelab-only image becomes on a real Knative cluster. `builtin:<name>` maps
 * to the vSwarm / vHive image it stands for (and that image's gRPC port when the YAML names
 * none); `module:` has no image; any other image is the user's and goes unchanged.
 */
import { UserError } from '../../errors.js';

/** A cluster image standing for a built-in, with the port its server listens on. */
export interface ClusterImage {
  image: string;
  port: { name: 'h2c' | 'http1'; containerPort: number };
}

/** The vSwarm / vHive images of hivelab's built-ins (those without one are refused). */
export const VSWARM_IMAGES: Readonly<Record<string, ClusterImage>> = {
  helloworld: {
    image: 'ghcr.io/ease-lab/helloworld:var_workload',
    port: { name: 'h2c', containerPort: 50051 },
  },
  aes: { image: 'ghcr.io/ease-lab/pyaes:var_workload', port: { name: 'h2c', containerPort: 50051 } },
  'trace-func': {
    image: 'ghcr.io/vhive-serverless/invitro_trace_function:latest',
    port: { name: 'h2c', containerPort: 80 },
  },
};

/**
 * Pure: the image to deploy for `image` (the YAML's), or a UserError naming the function.
 * @returns the cluster image, and the default port when the image was a built-in.
 */
export function clusterImage(
  image: string | undefined,
  functionName: string,
): { image: string; port?: ClusterImage['port'] } {
  if (image === undefined || image.trim() === '') {
    throw new UserError(
      `${functionName}: Knative needs an image; this YAML runs a local command (containers[0].command) with no image`,
      'name a container image in containers[0].image, or deploy it to the local platform (--target local)',
    );
  }
  const trimmed = image.trim();
  if (trimmed.startsWith('builtin:')) {
    const name = trimmed.slice('builtin:'.length);
    const mapped = VSWARM_IMAGES[name];
    if (mapped === undefined) {
      throw new UserError(
        `${functionName}: image "${trimmed}" is a hivelab built-in with no vSwarm image to stand for it on Knative`,
        `built-ins with one: ${Object.keys(VSWARM_IMAGES)
          .map((n) => `builtin:${n}`)
          .join(', ')}; or name a container image`,
      );
    }
    return { image: mapped.image, port: mapped.port };
  }
  if (trimmed.startsWith('module:')) {
    throw new UserError(
      `${functionName}: image "${trimmed}" is a hivelab module, which runs only on the local platform`,
      'build a container image of the function and name it in containers[0].image for Knative',
    );
  }
  return { image: trimmed };
}
