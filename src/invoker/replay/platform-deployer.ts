/**
 * Deploys replay functions on a hivelab platform: the built-in `trace-func`, one per
 * traced function, with containerConcurrency 1 (each instance runs one invocation at a
 * time, so the autoscaler scales with the trace's concurrency, as vHive's loader does).
 */
import { builtinFunctionSpec, PlatformClient } from '../../platform/index.js';
import type { DeployTraceFunction } from './replay-run.js';

export const TRACE_FUNCTION_IMAGE = 'builtin:trace-func';

export function platformDeployer(gatewayUrl: string, namespace = 'default'): DeployTraceFunction {
  const client = new PlatformClient(gatewayUrl);
  return async (fn) => {
    const spec = builtinFunctionSpec(TRACE_FUNCTION_IMAGE, fn.name, { namespace, containerConcurrency: 1 });
    return client.deploy(spec);
  };
}
