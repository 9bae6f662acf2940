/**
 * Window mode of `analyze anomalies` (fault localisation): which services and
 * `service:operation` nodes grew in a window (after a fault was injected) over a baseline
 * (before it), per request type and overall.
 *
 * Each kind of evidence is charged where it arises: self time, CPU and memory to the span's
 * own service; a CLIENT span's self time (the wire, sidecar and queue between the call and
 * its server) to the service it calls, as `wireUs`; errors to the failing span's service;
 * calls (retries show as more of them) to the called service. Each metric's change is
 * measured against the entity's own baseline spread (robust z: the shift of the median over
 * 1.4826·MAD of the baseline, or 1.2533·mean absolute deviation where most of the baseline
 * ties, floored at 5 % of the baseline median), so a busy service's
 * noise does not drown a quiet one's fault; error rates use the binomial spread. The score
 * is the largest z.
 */
import { medianAbsoluteDeviation, quantileSorted, Reservoir } from '../stats/stats.js';
import { OP_FIELDS, type DecodedSummary } from '../summary/trace-summarizer.js';
import { keyOf } from '../types/request-types.js';
import type { KeyKind } from '../types/request-key.js';
import { groupLabels, valuesPerLabel } from '../types/type-accumulator.js';

const TIME_METRICS = ['criticalPathUs', 'selfTimeUs', 'wireUs', 'cpuMs', 'peakMemKb'] as const;
type TimeMetric = (typeof TIME_METRICS)[number];
/** Smallest spread per metric, so a spotless baseline does not make any change infinite. */
const MIN_SPREAD: Record<TimeMetric, number> = {
  criticalPathUs: 50,
  selfTimeUs: 50,
  wireUs: 50,
  cpuMs: 0.05,
  peakMemKb: 64,
};

export interface MetricChange {
  baseline: number;
  window: number;
  z: number;
}

export interface Suspect {
  service: string;
  /** `null` for the service as a whole. */
  operation: string | null;
  /** The request type, `null` over every type. */
  type: string | null;
  score: number;
  evidence: Partial<Record<TimeMetric | 'errorRate' | 'callsPerTrace', MetricChange>> & {
    traces: { baseline: number; window: number };
  };
}

export interface WindowReport {
  suspects: Suspect[];
  skipped: { type: string; count: number; reason: string }[];
}

/** Epoch µs ranges, end exclusive. */
export interface WindowRanges {
  baseline: { startUs: number; endUs: number };
  window: { startUs: number; endUs: number };
}

class Period {
  traces = 0;
  errors = 0;
  spans = 0;
  calls = 0;
  readonly samples = new Map<TimeMetric, Reservoir>(
    TIME_METRICS.map((m, i) => [m, new Reservoir(2048, i + 7)]),
  );

  add(values: Record<TimeMetric, number>, errors: number, spans: number, calls: number): void {
    this.traces += 1;
    this.errors += errors;
    this.spans += spans;
    this.calls += calls;
    for (const metric of TIME_METRICS) this.samples.get(metric)?.add(values[metric]);
  }
}

interface Entity {
  service: string;
  operation: string | null;
  type: string | null;
  periods: [Period, Period];
}

function zOf(metric: TimeMetric, baseline: Reservoir, window: Reservoir): MetricChange | undefined {
  if (baseline.seen === 0 || window.seen === 0) return undefined;
  const b = baseline.sorted();
  const mb = quantileSorted(b, 0.5);
  const mw = window.median();
  // The MAD is zero when over half the baseline ties (a node mostly off the critical path:
  // crit 0): the mean absolute deviation, scaled to σ for normal data, still sees the rest.
  let meanAbsDev = 0;
  for (const v of b) meanAbsDev += Math.abs(v - mb);
  meanAbsDev /= b.length;
  const spread = Math.max(
    1.4826 * medianAbsoluteDeviation(b, mb),
    1.2533 * meanAbsDev,
    0.05 * Math.abs(mb),
    MIN_SPREAD[metric],
  );
  return { baseline: round(mb), window: round(mw), z: round((mw - mb) / spread) };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

function rateChange(eb: number, nb: number, ew: number, nw: number): MetricChange | undefined {
  if (nb === 0 || nw === 0) return undefined;
  const rb = eb / nb;
  const rw = ew / nw;
  const p = Math.min(0.99, Math.max(rb, 1 / nb));
  return { baseline: round(rb), window: round(rw), z: round((rw - rb) / Math.sqrt((p * (1 - p)) / nw)) };
}

/**
 * A node must be seen in at least this many traces of each period to be scored: a rare call
 * (a reservation at 0.5 % of the load, a cache fill after a miss) has one or two samples per
 * period, whose medians differ by chance far beyond a spread of zero, and would outrank the
 * service the fault went into.
 */
export const MIN_ENTITY_TRACES = 5;

/** Accumulates summaries into entities, then scores them. */
export class WindowAnalysis {
  readonly #ranges: WindowRanges;
  readonly #kind: KeyKind;
  readonly #entities = new Map<string, Entity>();
  readonly #typeCounts = new Map<string, [number, number]>();

  constructor(ranges: WindowRanges, kind: KeyKind = 'tree') {
    this.#ranges = ranges;
    this.#kind = kind;
  }

  #period(timestampUs: number): 0 | 1 | undefined {
    const { baseline, window } = this.#ranges;
    if (timestampUs >= window.startUs && timestampUs < window.endUs) return 1;
    if (timestampUs >= baseline.startUs && timestampUs < baseline.endUs) return 0;
    return undefined;
  }

  #entity(service: string, operation: string | null, type: string | null): Entity {
    const key = `${type ?? ''}\u0000${service}\u0000${operation ?? ''}`;
    let entity = this.#entities.get(key);
    if (entity === undefined) {
      entity = { service, operation, type, periods: [new Period(), new Period()] };
      this.#entities.set(key, entity);
    }
    return entity;
  }

  add(summary: DecodedSummary): void {
    const period = this.#period(summary.timestampUs);
    if (period === undefined) return;
    const type = keyOf(summary.group, this.#kind);
    const counts = this.#typeCounts.get(type) ?? [0, 0];
    counts[period] += 1;
    this.#typeCounts.set(type, counts);
    const { labels } = groupLabels(summary.group);
    const perLabel = valuesPerLabel(summary);
    // Per service of this trace: [crit, self, wire, cpu, mem, errors, spans, calls].
    const services = new Map<string, Float64Array>();
    const serviceRow = (name: string): Float64Array => {
      let row = services.get(name);
      if (row === undefined) services.set(name, (row = new Float64Array(8)));
      return row;
    };
    const clientOps = new Set(
      summary.group.ops.filter((op) => op.remote !== '').map((op) => `${op.service}\u0000${op.operation}`),
    );
    for (let i = 0; i < labels.length; i++) {
      const { service, operation } = labels[i] as { service: string; operation: string };
      const base = i * OP_FIELDS;
      const [crit = 0, self = 0, cpu = 0, mem = 0, errors = 0, count = 0] = perLabel.subarray(
        base,
        base + OP_FIELDS,
      );
      const isClient = clientOps.has(`${service}\u0000${operation}`);
      const target = isClient
        ? (summary.group.ops.find((op) => op.service === service && op.operation === operation)?.remote ??
          service)
        : service;
      const own = serviceRow(service);
      const charged = serviceRow(target === '' ? service : target);
      if (isClient) {
        charged[0] = (charged[0] as number) + crit;
        charged[2] = (charged[2] as number) + self;
        charged[7] = (charged[7] as number) + count;
      } else {
        own[0] = (own[0] as number) + crit;
        own[1] = (own[1] as number) + self;
      }
      own[3] = (own[3] as number) + cpu;
      own[4] = Math.max(own[4] as number, mem);
      own[5] = (own[5] as number) + errors;
      own[6] = (own[6] as number) + count;
      if (!isClient) {
        const values = { criticalPathUs: crit, selfTimeUs: self, wireUs: 0, cpuMs: cpu, peakMemKb: mem };
        for (const scope of [null, type])
          this.#entity(service, operation, scope).periods[period].add(values, errors, count, 0);
      }
    }
    for (const [service, row] of services) {
      const [crit = 0, self = 0, wire = 0, cpu = 0, mem = 0, errors = 0, spans = 0, calls = 0] = row;
      const values = { criticalPathUs: crit, selfTimeUs: self, wireUs: wire, cpuMs: cpu, peakMemKb: mem };
      for (const scope of [null, type])
        this.#entity(service, null, scope).periods[period].add(values, errors, spans, calls);
    }
  }

  /** Every entity seen in both periods, highest score first. */
  report(minCount = 20): WindowReport {
    const skipped: WindowReport['skipped'] = [];
    for (const [type, [b, w]] of this.#typeCounts) {
      if (b < minCount || w < minCount) {
        skipped.push({
          type,
          count: b + w,
          reason: `fewer than ${minCount} traces in the baseline (${b}) or the window (${w})`,
        });
      }
    }
    const skippedTypes = new Set(skipped.map((s) => s.type));
    const suspects: Suspect[] = [];
    for (const entity of this.#entities.values()) {
      if (entity.type !== null && skippedTypes.has(entity.type)) continue;
      const [b, w] = entity.periods;
      if (b.traces < MIN_ENTITY_TRACES || w.traces < MIN_ENTITY_TRACES) continue;
      const evidence: Suspect['evidence'] = { traces: { baseline: b.traces, window: w.traces } };
      let score = 0;
      for (const metric of TIME_METRICS) {
        const change = zOf(metric, b.samples.get(metric) as Reservoir, w.samples.get(metric) as Reservoir);
        if (change === undefined || (change.baseline === 0 && change.window === 0)) continue;
        evidence[metric] = change;
        score = Math.max(score, change.z);
      }
      const errors = rateChange(b.errors, b.spans, w.errors, w.spans);
      if (errors !== undefined && (errors.baseline > 0 || errors.window > 0)) {
        evidence.errorRate = errors;
        score = Math.max(score, errors.z);
      }
      if (b.calls > 0 || w.calls > 0) {
        const cb = b.calls / b.traces;
        const cw = w.calls / w.traces;
        const change = {
          baseline: round(cb),
          window: round(cw),
          // Calls per trace as Poisson counts: the window's mean is off by sqrt(cb / n) by chance.
          z: round((cw - cb) / Math.max(Math.sqrt(Math.max(cb, 0.05) / w.traces), 0.05 * cb, 0.05)),
        };
        evidence.callsPerTrace = change;
        score = Math.max(score, change.z);
      }
      suspects.push({
        service: entity.service,
        operation: entity.operation,
        type: entity.type,
        score: round(score),
        evidence,
      });
    }
    suspects.sort(
      (a, b) =>
        b.score - a.score ||
        a.service.localeCompare(b.service) ||
        String(a.operation).localeCompare(String(b.operation)),
    );
    return { suspects, skipped };
  }
}
