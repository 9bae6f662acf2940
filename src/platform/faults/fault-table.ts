/**
 * The platform's faults: one spec per function (from its `HIVELAB_FAULT` env at deploy,
 * then `hivelab fault set|clear`), a decision per invocation from a seeded source, and a
 * bounded log of every injection so a report can hold it against what the analyzer found.
 */
import { formatFaultOrder, faultKinds, type FaultOrder, type FaultSpec } from './fault-spec.js';

/** One injection, as recorded. */
export interface FaultInjection {
  timeMs: number;
  /** `<namespace>/<name>`. */
  function: string;
  kinds: string[];
  /** The order sent to the instance (`delay=50ms,…`). */
  order: string;
  traceId?: string;
}

/** One change of a function's spec, as recorded (set, or cleared when `spec` is absent). */
export interface FaultChange {
  timeMs: number;
  function: string;
  spec?: FaultSpec;
}

export interface FaultTable {
  set(fn: string, spec: FaultSpec): void;
  clear(fn: string): void;
  spec(fn: string): FaultSpec | undefined;
  /** The order for one invocation of `fn`, recorded when there is one. */
  decide(fn: string, traceId?: string): FaultOrder | undefined;
  injections(): readonly FaultInjection[];
  changes(): readonly FaultChange[];
  /** Specs in force, by function. */
  active(): Record<string, FaultSpec>;
}

export interface FaultTableOptions {
  /** Uniform [0, 1). @default Math.random */
  random?: () => number;
  now?: () => number;
  /** Injections kept at most (oldest dropped). @default 100 000 */
  maxRecords?: number;
}

export function createFaultTable(options: FaultTableOptions = {}): FaultTable {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxRecords = options.maxRecords ?? 100_000;
  const specs = new Map<string, FaultSpec>();
  const injections: FaultInjection[] = [];
  const changes: FaultChange[] = [];
  return {
    set(fn, spec) {
      specs.set(fn, spec);
      changes.push({ timeMs: now(), function: fn, spec });
    },
    clear(fn) {
      if (!specs.delete(fn)) return;
      changes.push({ timeMs: now(), function: fn });
    },
    spec: (fn) => specs.get(fn),
    decide(fn, traceId) {
      const spec = specs.get(fn);
      if (!spec || random() >= spec.share) return undefined;
      const record: FaultInjection = {
        timeMs: now(),
        function: fn,
        kinds: faultKinds(spec.order),
        order: formatFaultOrder(spec.order),
      };
      if (traceId !== undefined) record.traceId = traceId;
      injections.push(record);
      if (injections.length > maxRecords) injections.splice(0, injections.length - maxRecords);
      return spec.order;
    },
    injections: () => injections,
    changes: () => changes,
    active: () => Object.fromEntries(specs),
  };
}
