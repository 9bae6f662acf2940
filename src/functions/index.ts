/**
 * The built-in benchmark functions. Each is a module whose default export is a
 * `FunctionModule`, compiled to `dist/functions/<name>.js` and run by the runtime runner.
 */
import { distPath } from '../package-root.js';

export { greet } from './helloworld.js';
export { encryptRepeatedly, DEFAULT_ITERATIONS, DEFAULT_PLAINTEXT } from './aes.js';
export { parseTraceRequest, runTraceWorkload, type TraceRequest, type TraceResult } from './trace-func.js';
export { parseSleepMs, MAX_SLEEP_MS } from './sleep.js';
export { HELLOWORLD_PROTO_PATH, GREETER_SERVICE } from './helloworld-proto.js';

/** The built-in function names (`builtin:<name>`). */
export const BUILTIN_FUNCTION_NAMES = ['helloworld', 'aes', 'trace-func', 'sleep', 'relay'] as const;
export type BuiltinFunctionName = (typeof BUILTIN_FUNCTION_NAMES)[number];

/** Absolute path of a built-in's compiled module. */
export function builtinFunctionPath(name: BuiltinFunctionName): string {
  return distPath('functions', `${name}.js`);
}
