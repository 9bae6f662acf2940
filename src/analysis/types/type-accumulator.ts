/**
 * What is gathered per request type while summaries stream by: every trace's duration, CPU
 * and memory (exact percentiles need them all: 24 bytes and an id per trace), error count,
 * and per `service:operation` a bounded sample of critical-path time, self time, CPU and
 * memory (for medians: the "usual" value of a node).
 */
import { FloatColumn, Reservoir } from '../stats/stats.js';
import {
  HEAD_FIELDS,
  OP_FIELDS,
  type DecodedSummary,
  type SummaryGroup,
} from '../summary/trace-summarizer.js';

/** Per-operation figures of one type (samples, one value per trace that has the operation). */
export interface OperationSamples {
  service: string;
  operation: string;
  criticalPathUs: Reservoir;
  selfTimeUs: Reservoir;
  cpuMs: Reservoir;
  peakMemKb: Reservoir;
}

/** The (service, operation) labels of a group and, per op of the group, its label index. */
export interface GroupLabels {
  labels: { service: string; operation: string }[];
  opToLabel: number[];
}

const labelCache = new WeakMap<SummaryGroup, GroupLabels>();

/** Labels of a group, computed once per group. */
export function groupLabels(group: SummaryGroup): GroupLabels {
  let cached = labelCache.get(group);
  if (cached === undefined) {
    const index = new Map<string, number>();
    const labels: { service: string; operation: string }[] = [];
    const opToLabel = group.ops.map((op) => {
      const key = `${op.service}\u0000${op.operation}`;
      let i = index.get(key);
      if (i === undefined) {
        i = labels.length;
        index.set(key, i);
        labels.push({ service: op.service, operation: op.operation });
      }
      return i;
    });
    cached = { labels, opToLabel };
    labelCache.set(group, cached);
  }
  return cached;
}

/**
 * Sums the values of a trace's ops per label: `[criticalPathUs, selfTimeUs, cpuMs, peakMemKb
 * (max), errors, count]` per label, flattened.
 */
export function valuesPerLabel(summary: DecodedSummary): Float64Array {
  const { labels, opToLabel } = groupLabels(summary.group);
  const out = new Float64Array(labels.length * OP_FIELDS);
  const values = summary.values;
  for (let op = 0; op < opToLabel.length; op++) {
    const base = (opToLabel[op] as number) * OP_FIELDS;
    const from = HEAD_FIELDS + op * OP_FIELDS;
    out[base] = (out[base] as number) + (values[from] ?? 0);
    out[base + 1] = (out[base + 1] as number) + (values[from + 1] ?? 0);
    out[base + 2] = (out[base + 2] as number) + (values[from + 2] ?? 0);
    out[base + 3] = Math.max(out[base + 3] as number, values[from + 3] ?? 0);
    out[base + 4] = (out[base + 4] as number) + (values[from + 4] ?? 0);
    out[base + 5] = (out[base + 5] as number) + (values[from + 5] ?? 0);
  }
  return out;
}

export class TypeAccumulator {
  readonly key: string;
  readonly durationUs = new FloatColumn();
  readonly cpuMs = new FloatColumn();
  readonly peakMemKb = new FloatColumn();
  readonly traceIds: string[] = [];
  errors = 0;
  readonly #operations = new Map<string, OperationSamples>();
  /** Per group: the samples of each of its labels, so adding a trace builds no key strings. */
  readonly #byGroup = new WeakMap<SummaryGroup, OperationSamples[]>();

  constructor(key: string) {
    this.key = key;
  }

  get count(): number {
    return this.traceIds.length;
  }

  add(summary: DecodedSummary): void {
    const v = summary.values;
    this.durationUs.push(v[0] ?? 0);
    this.errors += v[1] ?? 0;
    this.cpuMs.push(v[2] ?? 0);
    this.peakMemKb.push(v[3] ?? 0);
    this.traceIds.push(summary.traceId);
    let targets = this.#byGroup.get(summary.group);
    if (targets === undefined) {
      targets = groupLabels(summary.group).labels.map((l) => this.operation(l.service, l.operation));
      this.#byGroup.set(summary.group, targets);
    }
    const perLabel = valuesPerLabel(summary);
    for (let i = 0; i < targets.length; i++) {
      const samples = targets[i] as OperationSamples;
      const base = i * OP_FIELDS;
      samples.criticalPathUs.add(perLabel[base] as number);
      samples.selfTimeUs.add(perLabel[base + 1] as number);
      samples.cpuMs.add(perLabel[base + 2] as number);
      samples.peakMemKb.add(perLabel[base + 3] as number);
    }
  }

  /** The samples of an operation (created empty when new). */
  operation(service: string, operation: string): OperationSamples {
    const key = `${service}\u0000${operation}`;
    let samples = this.#operations.get(key);
    if (samples === undefined) {
      // Seeded per type and operation, so a report is the same on every run.
      const seed = this.#operations.size + 1;
      samples = {
        service,
        operation,
        criticalPathUs: new Reservoir(undefined, seed),
        selfTimeUs: new Reservoir(undefined, seed + 1000),
        cpuMs: new Reservoir(undefined, seed + 2000),
        peakMemKb: new Reservoir(undefined, seed + 3000),
      };
      this.#operations.set(key, samples);
    }
    return samples;
  }

  /** The samples of an operation, if the type has it. */
  findOperation(service: string, operation: string): OperationSamples | undefined {
    return this.#operations.get(`${service}\u0000${operation}`);
  }

  operations(): OperationSamples[] {
    return [...this.#operations.values()];
  }
}
