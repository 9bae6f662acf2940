/**
 * The platform's faults: one spec per function (from its `HIVELAB_FAULT` env at deploy,
 * then `hivelab fault set|clear`), a decision per invocation from a seeded source, and a
 * bounded log of every injection so a report can hold it against what the analyzer found.
 * Every set, clear and injection is also handed to `onEvent` (the platform appends them to
 * a JSON-lines file), so nothing is lost when the in-memory log drops its oldest records.
 */
import {
  formatFaultOrder,
  formatFaultSpec,
  faultKinds,
  type FaultOrder,
  type FaultSpec,
} from './fault-spec.js';

/** One injection, as recorded: when, into which function, what kind and how much. */
export interface FaultInjection {
  timeMs: number;
  /** `<namespace>/<name>`. */
  function: string;
  kinds: string[];
  /** The order sent to the instance (`delay=50ms,…`). */
  order: string;
  /** The amounts, as in the order (absent for kinds it does not have). */
  delayMs?: number;
  cpuMs?: number;
  memoryBytes?: number;
  traceId?: string;
}

/** Where a spec came from. */
export type FaultSource = 'env' | 'api';

/** One change of a function's spec, as recorded (set, or cleared when `spec` is absent). */
export interface FaultChange {
  timeMs: number;
  function: string;
  spec?: FaultSpec;
  source?: FaultSource;
}

/** A spec in force. */
export interface ActiveFault {
  function: string;
  /** `delay=50ms,share=0.1`, the form `hivelab fault set` takes. */
  spec: string;
  share: number;
  order: FaultOrder;
  source: FaultSource;
  sinceMs: number;
  /** Injections into this function since the spec was set. */
  injections: number;
}

/** What `onEvent` gets: one line of the platform's `faults.jsonl`. */
export type FaultEvent =
  | ({ event: 'injection' } & FaultInjection)
  | { event: 'set'; timeMs: number; function: string; spec: string; source: FaultSource }
  | { event: 'clear'; timeMs: number; function: string };

export interface FaultTable {
  set(fn: string, spec: FaultSpec, source?: FaultSource): void;
  /** Resolves to false when `fn` had no spec. */
  clear(fn: string): boolean;
  /** Clears every spec; the functions that had one. */
  clearAll(): string[];
  spec(fn: string): FaultSpec | undefined;
  /** The order for one invocation of `fn`, recorded when there is one. */
  decide(fn: string, traceId?: string): FaultOrder | undefined;
  injections(): readonly FaultInjection[];
  changes(): readonly FaultChange[];
  /** Specs in force, sorted by function. */
  active(): ActiveFault[];
}

export interface FaultTableOptions {
  /** Uniform [0, 1). @default Math.random */
  random?: () => number;
  now?: () => number;
  /** Injections kept at most (oldest dropped). @default 100 000 */
  maxRecords?: number;
  /** Told of every set, clear and injection; must not throw. */
  onEvent?: (event: FaultEvent) => void;
}

interface Entry {
  spec: FaultSpec;
  source: FaultSource;
  sinceMs: number;
  injections: number;
  /** Built once per set: every injection of this spec records the same kinds and order. */
  kinds: string[];
  order: string;
}

export function createFaultTable(options: FaultTableOptions = {}): FaultTable {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxRecords = options.maxRecords ?? 100_000;
  const onEvent = options.onEvent ?? (() => undefined);
  const entries = new Map<string, Entry>();
  const injections: FaultInjection[] = [];
  const changes: FaultChange[] = [];
  const clear = (fn: string): boolean => {
    if (!entries.delete(fn)) return false;
    const timeMs = now();
    changes.push({ timeMs, function: fn });
    onEvent({ event: 'clear', timeMs, function: fn });
    return true;
  };
  return {
    set(fn, spec, source = 'api') {
      const timeMs = now();
      entries.set(fn, {
        spec,
        source,
        sinceMs: timeMs,
        injections: 0,
        kinds: faultKinds(spec.order),
        order: formatFaultOrder(spec.order),
      });
      changes.push({ timeMs, function: fn, spec, source });
      onEvent({ event: 'set', timeMs, function: fn, spec: formatFaultSpec(spec), source });
    },
    clear,
    clearAll: () => [...entries.keys()].filter((fn) => clear(fn)),
    spec: (fn) => entries.get(fn)?.spec,
    decide(fn, traceId) {
      const entry = entries.get(fn);
      if (!entry || random() >= entry.spec.share) return undefined;
      entry.injections += 1;
      const { order } = entry.spec;
      const record: FaultInjection = {
        timeMs: now(),
        function: fn,
        kinds: entry.kinds,
        order: entry.order,
        ...(order.delayMs !== undefined ? { delayMs: order.delayMs } : {}),
        ...(order.cpuMs !== undefined ? { cpuMs: order.cpuMs } : {}),
        ...(order.memoryBytes !== undefined ? { memoryBytes: order.memoryBytes } : {}),
        ...(traceId !== undefined ? { traceId } : {}),
      };
      injections.push(record);
      // Dropped in chunks: one splice per 1 % of the log, not one per injection.
      if (injections.length > maxRecords) injections.splice(0, Math.ceil(maxRecords / 100));
      onEvent({ event: 'injection', ...record });
      return order;
    },
    injections: () => injections,
    changes: () => changes,
    active: () =>
      [...entries]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([fn, e]) => ({
          function: fn,
          spec: formatFaultSpec(e.spec),
          share: e.spec.share,
          order: e.spec.order,
          source: e.source,
          sinceMs: e.sinceMs,
          injections: e.injections,
        })),
  };
}
