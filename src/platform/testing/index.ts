/**
 * Test support of platform/: the platform test kit (test function, specs, HTTP requests,
 * waiting) and the runtime pieces tests of other subsystems drive directly.
 */
export { TEST_FUNCTION, testSpec, request, waitFor } from './platform-kit.js';
export type { TestSpecOptions, TestResponse } from './platform-kit.js';
export { serveFunction } from '../runtime/serve-function.js';
export { READY_LINE_PREFIX, runtimeRunnerPath } from '../runtime/index.js';
