/**
 * Fault specs: what to inject into a share of a function's invocations, written
 * `delay=50ms,cpu=20ms,memory=64Mi,error,crash,share=0.1` (any subset, `share` defaulting
 * to 1). The same text is the `hivelab fault set` argument, the `HIVELAB_FAULT` variable of
 * a function's env and the `x-hivelab-fault` header an instance gets. Pure.
 */
import { parseDurationMs, parseMemoryQuantity } from '../function-spec/quantity.js';

/** What one invocation is asked to suffer. */
export interface FaultOrder {
  /** Wall-clock ms slept before the handler runs. */
  delayMs?: number;
  /** ms of real CPU burnt before the handler runs. */
  cpuMs?: number;
  /** Bytes allocated, touched and held while the handler runs. */
  memoryBytes?: number;
  /** Answer an error (HTTP 500, gRPC INTERNAL) instead of running the handler. */
  error?: boolean;
  /** Exit the instance's process (the platform replaces it). */
  crash?: boolean;
}

export interface FaultSpec {
  order: FaultOrder;
  /** Share of invocations that get the order, in (0, 1]. */
  share: number;
}

/** Parses a fault spec; the message names the part that is wrong and the expected form. */
export function parseFaultSpec(text: string): FaultSpec {
  const order: FaultOrder = {};
  let share = 1;
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0)
    throw new Error(`expected delay=, cpu=, memory=, error or crash, got ${JSON.stringify(text)}`);
  for (const part of parts) {
    const [key, value] = part.split('=', 2) as [string, string | undefined];
    switch (key) {
      case 'delay':
      case 'cpu': {
        const ms = value === undefined ? undefined : parseDurationMs(value);
        if (ms === undefined || ms <= 0)
          throw new Error(`${key}: expected a duration like 50ms or 1s, got ${JSON.stringify(value ?? '')}`);
        if (key === 'delay') order.delayMs = ms;
        else order.cpuMs = ms;
        break;
      }
      case 'memory': {
        const bytes = value === undefined ? undefined : parseMemoryQuantity(value.replace(/B$/, ''));
        if (bytes === undefined)
          throw new Error(`memory: expected a size like 64Mi or 100M, got ${JSON.stringify(value ?? '')}`);
        order.memoryBytes = bytes;
        break;
      }
      case 'error':
      case 'crash':
        if (value !== undefined && value !== 'true')
          throw new Error(`${key}: takes no value, got ${JSON.stringify(value)}`);
        order[key] = true;
        break;
      case 'share': {
        const n = Number(value);
        if (value === undefined || !Number.isFinite(n) || n <= 0 || n > 1)
          throw new Error(`share: expected a number in (0, 1], e.g. 0.1, got ${JSON.stringify(value ?? '')}`);
        share = n;
        break;
      }
      default:
        throw new Error(
          `unknown fault ${JSON.stringify(key)}: expected delay=, cpu=, memory=, error, crash or share=`,
        );
    }
  }
  if (Object.keys(order).length === 0)
    throw new Error('expected at least one of delay=, cpu=, memory=, error, crash');
  return { order, share };
}

/** The order as header text (`delay=50ms,cpu=20ms`), the form `parseFaultOrder` reads. */
export function formatFaultOrder(order: FaultOrder): string {
  const parts: string[] = [];
  if (order.delayMs !== undefined) parts.push(`delay=${order.delayMs}ms`);
  if (order.cpuMs !== undefined) parts.push(`cpu=${order.cpuMs}ms`);
  if (order.memoryBytes !== undefined) parts.push(`memory=${order.memoryBytes}`);
  if (order.error) parts.push('error');
  if (order.crash) parts.push('crash');
  return parts.join(',');
}

/** The spec as `hivelab fault set` takes it (`delay=50ms,share=0.1`; no share when it is 1). */
export function formatFaultSpec(spec: FaultSpec): string {
  const order = formatFaultOrder(spec.order);
  return spec.share === 1 ? order : `${order},share=${spec.share}`;
}

/** Reads an order from a header; `undefined` for anything not a valid order (never throws). */
export function parseFaultOrder(text: string | undefined): FaultOrder | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return parseFaultSpec(text).order;
  } catch {
    return undefined;
  }
}

/** Kinds in an order, for records and span tags (`delay`, `cpu`, …). */
export function faultKinds(order: FaultOrder): string[] {
  return formatFaultOrder(order)
    .split(',')
    .map((p) => p.split('=')[0]!);
}
