/**
 * What is gathered per request type while summaries stream by: every trace's duration, CPU
 * and memory (exact percentiles need them all: 24 bytes and an id per trace), the error
 * count, and a seeded uniform sample of whole traces with their per-`service:operation`
 * values, for the medians of critical-path time, self time, CPU and memory per operation
 * (the "usual" value of a node).
 *
 * Sampling traces rather than each operation's values keeps a pass cheap: a trace past the
 * sample's size is kept with probability size/seen (about 7 % of 250 000), and only a kept
 * trace's per-operation values are parsed; the others cost a read of the summary's head.
 */
import { FloatColumn, medianInPlace, mulberry32, RESERVOIR_SIZE } from '../stats/stats.js';
import { readSummaryHead, readSummaryNumbers } from '../summary/summary-head.js';
import {
  HEAD_FIELDS,
  OP_FIELDS,
  type DecodedSummary,
  type SummaryGroup,
} from '../summary/trace-summarizer.js';

/**
 * The usual (median) values of one operation over the sampled traces of a type that have
 * it; each median is computed when first read (a types report reads one of the four).
 */
export class OperationUsual {
  readonly service: string;
  readonly operation: string;
  readonly #columns: FloatColumn[];
  readonly #medians: (number | undefined)[] = [];

  constructor(service: string, operation: string, columns: FloatColumn[]) {
    this.service = service;
    this.operation = operation;
    this.#columns = columns;
  }

  /** Sampled traces that have the operation. */
  get seen(): number {
    return this.#columns[0]?.length ?? 0;
  }

  #median(field: number): number {
    let median = this.#medians[field];
    if (median === undefined) {
      median = medianInPlace(Float64Array.from(this.#columns[field]?.values() ?? []));
      this.#medians[field] = median;
    }
    return median;
  }

  get criticalPathUs(): number {
    return this.#median(0);
  }

  get selfTimeUs(): number {
    return this.#median(1);
  }

  get cpuMs(): number {
    return this.#median(2);
  }

  get peakMemKb(): number {
    return this.#median(3);
  }
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
 * Sums a trace's op values per label into `out` (or a new array): `[criticalPathUs,
 * selfTimeUs, cpuMs, peakMemKb (max), errors, count]` per label, flattened.
 */
export function sumPerLabel(
  group: SummaryGroup,
  values: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const { labels, opToLabel } = groupLabels(group);
  const sums =
    out !== undefined && out.length === labels.length * OP_FIELDS
      ? out.fill(0)
      : new Float64Array(labels.length * OP_FIELDS);
  for (let op = 0; op < opToLabel.length; op++) {
    const base = (opToLabel[op] as number) * OP_FIELDS;
    const from = HEAD_FIELDS + op * OP_FIELDS;
    sums[base] = (sums[base] as number) + (values[from] ?? 0);
    sums[base + 1] = (sums[base + 1] as number) + (values[from + 1] ?? 0);
    sums[base + 2] = (sums[base + 2] as number) + (values[from + 2] ?? 0);
    sums[base + 3] = Math.max(sums[base + 3] as number, values[from + 3] ?? 0);
    sums[base + 4] = (sums[base + 4] as number) + (values[from + 4] ?? 0);
    sums[base + 5] = (sums[base + 5] as number) + (values[from + 5] ?? 0);
  }
  return sums;
}

/** `sumPerLabel` of a decoded summary. */
export function valuesPerLabel(summary: DecodedSummary): Float64Array {
  return sumPerLabel(summary.group, summary.values);
}

function parseValues(data: string): number[] {
  try {
    const values: unknown = JSON.parse(data);
    return Array.isArray(values) ? (values as number[]) : [];
  } catch {
    return [];
  }
}

const head = new Float64Array(HEAD_FIELDS);
let scratch = new Float64Array(256);

/** The numbers of a summary: into the shared scratch array when plain, else through JSON.parse. */
function summaryValues(group: SummaryGroup, data: string): ArrayLike<number> {
  const size = HEAD_FIELDS + group.ops.length * OP_FIELDS;
  if (scratch.length < size) scratch = new Float64Array(size * 2);
  return readSummaryNumbers(data, scratch, size) >= 0 ? scratch : parseValues(data);
}

export class TypeAccumulator {
  readonly key: string;
  readonly durationUs = new FloatColumn();
  readonly cpuMs = new FloatColumn();
  readonly peakMemKb = new FloatColumn();
  readonly traceIds: string[] = [];
  errors = 0;
  /** The sample: per slot the trace's group and its per-label sums. */
  readonly #sampleGroups: SummaryGroup[] = [];
  readonly #sampleValues: Float64Array[] = [];
  readonly #sampleSize: number;
  // Seeded, so a report is the same on every run over the same store.
  readonly #random = mulberry32(1);
  #usual: Map<string, OperationUsual> | undefined;

  constructor(key: string, sampleSize = RESERVOIR_SIZE) {
    this.key = key;
    this.#sampleSize = sampleSize;
  }

  get count(): number {
    return this.traceIds.length;
  }

  /** Adds one trace from its summary text (see `trace-summarizer.ts`). */
  add(traceId: string, group: SummaryGroup, data: string): void {
    if (!readSummaryHead(data, head)) {
      const values = parseValues(data);
      for (let i = 0; i < HEAD_FIELDS; i++) head[i] = Number(values[i] ?? 0) || 0;
    }
    this.durationUs.push(head[0] as number);
    this.errors += head[1] as number;
    this.cpuMs.push(head[2] as number);
    this.peakMemKb.push(head[3] as number);
    this.traceIds.push(traceId);
    // Algorithm R over traces: the slot is drawn before the values are looked at.
    const seen = this.traceIds.length;
    const slot = seen <= this.#sampleSize ? seen - 1 : Math.floor(this.#random() * seen);
    if (slot >= this.#sampleSize) return;
    this.#sampleValues[slot] = sumPerLabel(group, summaryValues(group, data), this.#sampleValues[slot]);
    this.#sampleGroups[slot] = group;
    this.#usual = undefined;
  }

  /** Adds a decoded summary. */
  addDecoded(summary: DecodedSummary): void {
    this.add(summary.traceId, summary.group, JSON.stringify(summary.values));
  }

  #usualValues(): Map<string, OperationUsual> {
    if (this.#usual !== undefined) return this.#usual;
    const usual = new Map<string, OperationUsual>();
    const columnsOf = new Map<string, FloatColumn[]>();
    for (let slot = 0; slot < this.#sampleGroups.length; slot++) {
      const { labels } = groupLabels(this.#sampleGroups[slot] as SummaryGroup);
      const sums = this.#sampleValues[slot] as Float64Array;
      for (let i = 0; i < labels.length; i++) {
        const { service, operation } = labels[i] as { service: string; operation: string };
        const key = `${service}\u0000${operation}`;
        let columns = columnsOf.get(key);
        if (columns === undefined) {
          columns = [new FloatColumn(), new FloatColumn(), new FloatColumn(), new FloatColumn()];
          columnsOf.set(key, columns);
          usual.set(key, new OperationUsual(service, operation, columns));
        }
        for (let f = 0; f < 4; f++) columns[f]?.push(sums[i * OP_FIELDS + f] as number);
      }
    }
    this.#usual = usual;
    return usual;
  }

  /** The usual values of an operation, if a sampled trace of the type has it. */
  findOperation(service: string, operation: string): OperationUsual | undefined {
    return this.#usualValues().get(`${service}\u0000${operation}`);
  }

  /** Every operation of the sampled traces, in the order they first appear. */
  operations(): OperationUsual[] {
    return [...this.#usualValues().values()];
  }
}
