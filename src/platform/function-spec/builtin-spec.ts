/**
 * Function specs for JavaScript function modules (built-ins and `module:` images): they run
 * under the platform's runtime runner, which hosts a `FunctionModule` on `$PORT`.
 */
import { UserError } from '../../errors.js';
import { runtimeRunnerPath } from '../runtime/index.js';
import {
  BUILTIN_IMAGES,
  builtinForImage,
  builtinModulePath,
  describeRunnableImages,
} from './builtin-images.js';
import { defaultAutoscaling } from './default-autoscaling.js';
import type { FunctionSpec, Protocol } from './function-spec.js';

/** The command line of an instance hosting `handlerModule`. */
export function moduleCommand(handlerModule: string): string[] {
  return [process.execPath, runtimeRunnerPath(), handlerModule];
}

/**
 * A ready-to-deploy spec for a built-in (`builtin:aes`, or a well-known image such as
 * `ghcr.io/ease-lab/pyaes:var_workload`), with Knative's defaults; `overrides` win.
 * @throws UserError when hivelab has no built-in for `image`.
 */
export function builtinFunctionSpec(
  image: string,
  name: string,
  overrides: Partial<FunctionSpec> = {},
): FunctionSpec {
  const builtin = builtinForImage(image);
  if (builtin === undefined) {
    throw new UserError(
      `image ${JSON.stringify(image)} is not a hivelab built-in`,
      `hivelab can run ${describeRunnableImages()}`,
    );
  }
  const handlerModule = builtinModulePath(builtin);
  const protocol: Protocol = BUILTIN_IMAGES[builtin]?.defaultProtocol ?? 'http1';
  const containerConcurrency = overrides.containerConcurrency ?? 0;
  return {
    name,
    namespace: 'default',
    image,
    command: moduleCommand(handlerModule),
    env: {},
    workingDir: process.cwd(),
    protocol,
    handlerModule,
    containerConcurrency,
    timeoutMs: 300_000,
    sandbox: 'process',
    coldStart: 'boot',
    autoscaling: defaultAutoscaling(containerConcurrency),
    ...overrides,
  };
}
