/**
 * The built-in benchmark functions. Each is a module whose default export is a
 * `FunctionModule`, compiled to `dist/functions/<name>.js` and run by the runtime runner;
 * the list of them is the platform's `BUILTIN_IMAGES` (platform/function-spec).
 */
export { greet } from './helloworld.js';
export { encryptRepeatedly, DEFAULT_ITERATIONS, DEFAULT_PLAINTEXT } from './aes.js';
export { parseTraceRequest, runTraceWorkload, type TraceRequest, type TraceResult } from './trace-func.js';
export { parseSleepMs, MAX_SLEEP_MS } from './sleep.js';
export { HELLOWORLD_PROTO_PATH, GREETER_SERVICE } from './helloworld-proto.js';
