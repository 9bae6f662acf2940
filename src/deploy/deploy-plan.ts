/**
 * Pure planning: function types → the instances vHive's deployer creates (`<name>-0 …
 * <name>-<count-1>`, in file order) with their YAML files and hostnames.
 */
import path from 'node:path';
import type { FunctionType } from './functions-json.js';

export interface PlanOptions {
  /** Folder the `file` names resolve against. */
  funcPath: string;
  /** @default 'default' */
  namespace: string;
  /** vHive's `-gatewayURL`: the domain part of hostnames. @default 'localhost' */
  domain: string;
}

export interface PlannedFunction {
  /** `<type name>-<i>` */
  name: string;
  namespace: string;
  /** Absolute path of the YAML. */
  file: string;
  /** `<name>.<namespace>.<domain>`, as in endpoints.json. */
  hostname: string;
}

export function planDeployment(types: readonly FunctionType[], options: PlanOptions): PlannedFunction[] {
  const plan: PlannedFunction[] = [];
  for (const type of types) {
    const file = path.resolve(options.funcPath, type.file);
    for (let i = 0; i < type.count; i++) {
      const name = `${type.name}-${i}`;
      plan.push({
        name,
        namespace: options.namespace,
        file,
        hostname: `${name}.${options.namespace}.${options.domain}`,
      });
    }
  }
  return plan;
}
