/** An `InvocationContext` for tests that call a handler directly. */
import type { InvocationContext } from '../index.js';

export function testContext(overrides: Partial<InvocationContext> = {}): InvocationContext {
  return { functionName: 'test', instanceId: 'test-0', traceHeaders: {}, zipkinUrl: undefined, ...overrides };
}
