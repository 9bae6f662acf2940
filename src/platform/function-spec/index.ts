/**
 * Function specs: Knative Service YAML → `FunctionSpec`, validation of specs received as
 * JSON, and the built-in functions hivelab can run.
 */
export type {
  AutoscalingSettings,
  ColdStartMode,
  ContainerSpec,
  FunctionSpec,
  Protocol,
  SandboxKind,
} from './function-spec.js';
export { parseServiceYaml, type ParseServiceOptions } from './parse-service.js';
export { validateFunctionSpec, functionSpecSchema } from './validate-function-spec.js';
export { builtinFunctionSpec, moduleCommand } from './builtin-spec.js';
export {
  BUILTIN_IMAGES,
  type BuiltinImage,
  builtinForImage,
  builtinModulePath,
  describeRunnableImages,
  imageRepository,
} from './builtin-images.js';
export { defaultAutoscaling, DEFAULT_TARGET_UNLIMITED } from './default-autoscaling.js';
export { HIVELAB_ANNOTATION_KEYS, KNATIVE_ANNOTATION_KEYS } from './annotations.js';
export { parseCpuQuantity, parseDurationMs, parseMemoryQuantity } from './quantity.js';
export { expandEnv, expandVars } from './expand-vars.js';
export { readProbe } from './probe-spec.js';
export type { ProbeHandler, ProbeKind, ProbeSpec, ServingPort } from './probe-spec.js';
export { absoluteImage, isFileImage, parseImageSource } from './image-source.js';
export type { ImageSource } from './image-source.js';
