/** Test support of sdk/: an `InvocationContext` for calling a function module directly. */
export { testContext } from './test-context.js';
