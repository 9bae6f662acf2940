/**
 * The gateway's stage breakdown (its `stage:*` annotations, see platform/gateway/
 * gateway-stages.ts) turned into durations, as seed 003 splits a request's time inside the
 * Istio sidecars: per hop (one gateway SERVER span: the call of one function), and per
 * request (every hop of its trace summed). Pure.
 *
 *   route       head parsed → routed                 (finding the function)
 *   admit       routed → admitted                    (activator buffer, queue-proxy slot)
 *   connect     admitted → connection new/reused     (upstream connection or h2 session)
 *   write       connection → request written         (head and body to the instance)
 *   upstream    request written → first byte         (the function itself, and its own calls)
 *   respond     first byte → response written        (the answer back to the caller)
 */
import type { Span } from '../../spans/index.js';

export const STAGES = ['route', 'admit', 'connect', 'write', 'upstream', 'respond'] as const;
export type Stage = (typeof STAGES)[number];

/** The stages the gateway itself spends (all but `upstream`, the function's own time). */
export const GATEWAY_STAGES: readonly Stage[] = ['route', 'admit', 'connect', 'write', 'respond'];

const MARKS: Record<Stage, [string, string]> = {
  route: ['stage:head_parsed', 'stage:routed'],
  admit: ['stage:routed', 'stage:admitted'],
  connect: ['stage:admitted', 'stage:connection'],
  write: ['stage:connection', 'stage:request_written'],
  upstream: ['stage:request_written', 'stage:first_byte'],
  respond: ['stage:first_byte', 'stage:response_written'],
};

export type StageTimes = Record<Stage, number>;

/** One gateway hop: the function called and its stage durations, µs. */
export interface Hop {
  function: string;
  stages: StageTimes;
  /** Whether the upstream connection was new (else reused). */
  newConnection: boolean;
}

/** Pure: the hop of a gateway SERVER span, or undefined when it lacks a stage. */
export function hopOf(span: Span): Hop | undefined {
  if (span.kind !== 'SERVER' || span.localEndpoint?.serviceName !== 'hivelab-gateway') return undefined;
  const at = new Map<string, number>();
  let newConnection = false;
  for (const a of span.annotations ?? []) {
    if (a.value.startsWith('stage:connection_')) {
      at.set('stage:connection', a.timestamp);
      newConnection = a.value === 'stage:connection_new';
    } else at.set(a.value, a.timestamp);
  }
  const stages = {} as StageTimes;
  for (const stage of STAGES) {
    const [from, to] = MARKS[stage];
    const a = at.get(from);
    const b = at.get(to);
    if (a === undefined || b === undefined) return undefined;
    stages[stage] = Math.max(0, b - a);
  }
  return { function: span.tags?.['function.name'] ?? span.name ?? '?', stages, newConnection };
}

/** Pure: every hop of a trace, in start order. */
export function hopsOf(spans: readonly Span[]): Hop[] {
  return [...spans]
    .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))
    .map(hopOf)
    .filter((h): h is Hop => h !== undefined);
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One row of the breakdown: a group's median per stage, µs, and how many samples. */
export interface StageRow {
  group: string;
  /** Traces (per request type) or hops (per function). */
  n: number;
  hopsPerTrace?: number;
  median: StageTimes;
  /** Median share of the gateway's own stages in the whole (own + upstream). */
  gatewayShare: number;
}

function row(group: string, samples: StageTimes[], hopsPerTrace?: number): StageRow {
  const med = {} as StageTimes;
  for (const stage of STAGES) med[stage] = median(samples.map((s) => s[stage]));
  const shares = samples.map((s) => {
    const own = GATEWAY_STAGES.reduce((n, st) => n + s[st], 0);
    return own + s.upstream > 0 ? own / (own + s.upstream) : 0;
  });
  return {
    group,
    n: samples.length,
    ...(hopsPerTrace !== undefined ? { hopsPerTrace } : {}),
    median: med,
    gatewayShare: median(shares),
  };
}

/**
 * Pure: per request type, the gateway's own stages of every hop of a trace summed (what
 * all the "sidecars" of one request cost it), and as `upstream` the first hop's (the
 * entry function's time, nested calls included: summing nested upstreams would count a
 * call once per hop above it).
 */
export function breakdownByType(traces: readonly { type: string; hops: readonly Hop[] }[]): StageRow[] {
  const groups = new Map<string, { samples: StageTimes[]; hops: number }>();
  for (const trace of traces) {
    if (trace.hops.length === 0) continue;
    const sum = Object.fromEntries(STAGES.map((s) => [s, 0])) as StageTimes;
    for (const hop of trace.hops) for (const stage of GATEWAY_STAGES) sum[stage] += hop.stages[stage];
    sum.upstream = trace.hops[0]!.stages.upstream;
    const group = groups.get(trace.type) ?? { samples: [], hops: 0 };
    group.samples.push(sum);
    group.hops += trace.hops.length;
    groups.set(trace.type, group);
  }
  return [...groups]
    .map(([type, g]) => row(type, g.samples, g.hops / g.samples.length))
    .sort((a, b) => b.n - a.n || a.group.localeCompare(b.group));
}

/** Pure: per function called, the median stages of its hops. */
export function breakdownByFunction(hops: readonly Hop[]): StageRow[] {
  const groups = new Map<string, StageTimes[]>();
  for (const hop of hops) {
    const list = groups.get(hop.function) ?? [];
    list.push(hop.stages);
    groups.set(hop.function, list);
  }
  return [...groups]
    .map(([fn, samples]) => row(fn, samples))
    .sort((a, b) => b.n - a.n || a.group.localeCompare(b.group));
}
