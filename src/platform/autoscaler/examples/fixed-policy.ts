/**
 * An example autoscaling policy: always the same instance count. Useful as a baseline when
 * comparing policies (no cold starts after deployment, no scale-down) and as the smallest
 * working template for writing your own.
 *
 * Use it from a Knative Service YAML:
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     hivelab.dev/autoscaler: <hivelab>/dist/platform/autoscaler/examples/fixed-policy.js
 * ```
 *
 * The count is `HIVELAB_FIXED_SCALE` from the platform's environment when set, otherwise
 * the function's initial scale (`autoscaling.knative.dev/initial-scale`), and always
 * within min-scale and max-scale.
 */
import { UserError } from '../../../errors.js';
import type { AutoscalingSettings } from '../../function-spec/function-spec.js';
import type { ScalingPolicy } from '../scaling-policy.js';

/** The environment variable that sets the count of the default export. */
export const FIXED_SCALE_ENV = 'HIVELAB_FIXED_SCALE';

export interface FixedState {
  count: number;
}

function bounded(count: number, settings: AutoscalingSettings): number {
  const atLeastMin = Math.max(count, settings.minScale);
  return settings.maxScale > 0 ? Math.min(atLeastMin, settings.maxScale) : atLeastMin;
}

/** Parses the env value; throws naming the variable and the expected form. */
export function parseFixedScale(raw: string): number {
  const count = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(count) || count < 0) {
    throw new UserError(
      `${FIXED_SCALE_ENV} must be a non-negative integer, got "${raw}"`,
      'e.g. HIVELAB_FIXED_SCALE=3',
    );
  }
  return count;
}

/**
 * A policy that always asks for `count` instances (or, when `count` is omitted, for the
 * env var / initial scale described above).
 */
export function createFixedPolicy(count?: number): ScalingPolicy<FixedState> {
  return {
    name: count === undefined ? 'fixed' : `fixed-${count}`,
    initialState(settings: AutoscalingSettings): FixedState {
      // Read once, at deployment, so decide() stays a pure function of its arguments.
      const raw = process.env[FIXED_SCALE_ENV];
      const wanted = count ?? (raw === undefined ? settings.initialScale : parseFixedScale(raw));
      return { count: bounded(wanted, settings) };
    },
    decide(_input, state) {
      return { desired: state.count, state, panic: false, reason: `fixed: ${state.count}` };
    },
  };
}

/** The module's default export, what `hivelab.dev/autoscaler` loads. */
const fixedPolicy: ScalingPolicy<FixedState> = createFixedPolicy();
export default fixedPolicy;
