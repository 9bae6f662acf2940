/**
 * Resolves `hivelab.dev/autoscaler` (`AutoscalingSettings.policy`) to a `ScalingPolicy`:
 * `kpa`, or an absolute path of a JS module whose default export is a policy. The shape is
 * checked at load time, and a loaded policy's decisions are checked on every call, so a
 * researcher's mistake is reported with the module and the field instead of surfacing as
 * a platform that silently stops scaling.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError, errorMessage } from '../../errors.js';
import { kpaPolicy } from './kpa-policy.js';
import type { ScalingDecision, ScalingInput, ScalingPolicy } from './scaling-policy.js';

const HINT =
  'Set hivelab.dev/autoscaler to "kpa" or to a module path whose default export is ' +
  '{ name: string, initialState(settings, nowMs), decide(input, state) } (see src/platform/autoscaler/index.ts).';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks that `value` has the `ScalingPolicy` shape; throws a `UserError` naming what is wrong. */
export function assertScalingPolicy(value: unknown, source: string): asserts value is ScalingPolicy {
  if (!isRecord(value)) {
    throw new UserError(
      `autoscaler policy ${source} has no usable default export: expected an object, got ${value === null ? 'null' : typeof value}`,
      HINT,
    );
  }
  const problems: string[] = [];
  if (typeof value.name !== 'string' || value.name === '') problems.push('name must be a non-empty string');
  if (typeof value.initialState !== 'function') problems.push('initialState must be a function');
  if (typeof value.decide !== 'function') problems.push('decide must be a function');
  if (problems.length > 0) {
    throw new UserError(`autoscaler policy ${source} is not a ScalingPolicy: ${problems.join('; ')}`, HINT);
  }
}

/** Checks one decision of a loaded policy; throws a `UserError` naming the field. */
export function assertDecision(
  decision: unknown,
  policyName: string,
): asserts decision is ScalingDecision<unknown> {
  const where = `autoscaler policy "${policyName}" returned`;
  if (!isRecord(decision))
    throw new UserError(`${where} ${typeof decision}; expected { desired, state, panic, reason }`);
  const { desired } = decision;
  if (typeof desired !== 'number' || !Number.isInteger(desired) || desired < 0) {
    throw new UserError(`${where} desired=${String(desired)}; expected a non-negative integer`);
  }
  if (typeof decision.panic !== 'boolean') {
    throw new UserError(`${where} panic=${String(decision.panic)}; expected a boolean`);
  }
  if (typeof decision.reason !== 'string') {
    throw new UserError(`${where} reason=${String(decision.reason)}; expected a string`);
  }
}

/** Wraps a user policy so every decision is validated before the platform acts on it. */
function checked(policy: ScalingPolicy): ScalingPolicy {
  return {
    name: policy.name,
    initialState: (settings, nowMs) => policy.initialState(settings, nowMs),
    decide(input: ScalingInput, state: unknown): ScalingDecision<unknown> {
      const decision: unknown = policy.decide(input, state);
      assertDecision(decision, policy.name);
      return decision;
    },
  };
}

/**
 * `'kpa'` → the built-in KPA; an absolute path → that module's default export, validated.
 * @throws UserError when the spec is neither, the module cannot be loaded, or its default
 *   export is not a `ScalingPolicy`.
 */
export async function loadScalingPolicy(spec: string): Promise<ScalingPolicy> {
  if (spec === 'kpa') return kpaPolicy;
  if (spec.trim() === '' || !path.isAbsolute(spec)) {
    throw new UserError(
      `autoscaler policy "${spec}" is neither "kpa" nor an absolute module path`,
      'Relative paths in hivelab.dev/autoscaler resolve against the YAML file’s folder when the spec is parsed; ' +
        'from code, pass an absolute path.',
    );
  }
  let module: unknown;
  try {
    module = await import(pathToFileURL(spec).href);
  } catch (error) {
    throw new UserError(`error while loading autoscaler policy ${spec}: ${errorMessage(error)}`, HINT);
  }
  const policy = isRecord(module) ? module.default : undefined;
  assertScalingPolicy(policy, spec);
  return checked(policy);
}
