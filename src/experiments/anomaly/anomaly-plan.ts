/**
 * Seed 004's fault-localisation experiment as a plan: the hotel app under the mixed
 * workload, a warm-up (not analysed), a baseline period, then a fault injected into one
 * service for a window. Rates and lengths are the defaults below, or short ones with
 * `quick` (for tests). Pure.
 */
import { parseFaultSpec } from '../../platform/index.js';
import { UserError } from '../../errors.js';

/** The hotel services a fault can go into (the app's own; the cache and database stand-ins too). */
export const HOTEL_SERVICES = [
  'frontend',
  'search',
  'geo',
  'rate',
  'profile',
  'recommendation',
  'reservation',
  'user',
  'memcached-profile',
  'memcached-rate',
  'memcached-reserve',
  'mongodb-geo',
  'mongodb-profile',
  'mongodb-rate',
  'mongodb-recommendation',
  'mongodb-reservation',
  'mongodb-user',
] as const;

export interface AnomalyPlan {
  rps: number;
  warmupS: number;
  baselineS: number;
  windowS: number;
  /** The service the fault goes into. */
  service: string;
  /** `delay=50ms` and the like (`hivelab fault set`'s form). */
  fault: string;
  seed: number;
  quick: boolean;
}

export interface AnomalyPlanOptions {
  quick?: boolean;
  rps?: number;
  baselineS?: number;
  windowS?: number;
  service?: string;
  fault?: string;
  seed?: number;
}

/** @default geo: every search request calls it, and it is one hop below the frontend. */
export const DEFAULT_FAULT_SERVICE = 'geo';
/** @default a delay: no CPU taken from the other services on a 2-core machine. */
export const DEFAULT_FAULT = 'delay=50ms';

/** Pure: the plan, checked; a bad option throws a `UserError` naming it. */
export function anomalyPlan(options: AnomalyPlanOptions = {}): AnomalyPlan {
  const quick = options.quick === true;
  const plan: AnomalyPlan = {
    rps: options.rps ?? (quick ? 12 : 40),
    warmupS: quick ? 4 : 10,
    baselineS: options.baselineS ?? (quick ? 6 : 40),
    windowS: options.windowS ?? (quick ? 4 : 20),
    service: options.service ?? DEFAULT_FAULT_SERVICE,
    fault: options.fault ?? DEFAULT_FAULT,
    seed: options.seed ?? 4,
    quick,
  };
  if (!(HOTEL_SERVICES as readonly string[]).includes(plan.service))
    throw new UserError(
      `--service: expected one of the hotel services (${HOTEL_SERVICES.join(', ')}), got ${JSON.stringify(plan.service)}`,
    );
  try {
    parseFaultSpec(plan.fault);
  } catch (error) {
    throw new UserError(
      `--fault: ${(error as Error).message}`,
      'e.g. --fault delay=50ms or --fault cpu=20ms,share=0.5',
    );
  }
  for (const [flag, value] of [
    ['--rps', plan.rps],
    ['--baseline', plan.baselineS],
    ['--window', plan.windowS],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0))
      throw new UserError(`${flag}: expected a positive number, got ${value}`);
  }
  return plan;
}
