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
  /** Per label, `service \0 operation` (the key of the usual values). */
  keys: string[];
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
    cached = { labels, keys: [...index.keys()], opToLabel };
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

/** The `HEAD_FIELDS` trace-level values of a summary's data into `out` (missing or bad ones as 0). */
export function readHead(data: string, out: Float64Array): Float64Array {
  if (!readSummaryHead(data, out)) {
    const values = parseValues(data);
    for (let i = 0; i < HEAD_FIELDS; i++) out[i] = Number(values[i] ?? 0) || 0;
  }
  return out;
}

/** The per-label sums of a summary's data (`sumPerLabel`), as `TypeAccumulator.add` samples them. */
export function labelSums(group: SummaryGroup, data: string, out?: Float64Array): Float64Array {
  return sumPerLabel(group, summaryValues(group, data), out);
}

/**
 * Summaries read ahead of accumulation, column-wise: trace `i` has `heads[i * HEAD_FIELDS ..]`
 * (`readHead`) and `sums[sumOffsets[i] .. sumOffsets[i + 1]]` (`labelSums`).
 */
export interface ReadSummaries {
  traceIds: string[];
  groups: SummaryGroup[];
  heads: Float64Array;
  sums: Float64Array;
  sumOffsets: Uint32Array;
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
  /**
   * The slot's sums are `#sampleValues[slot]` from `#sampleFrom[slot]`: an array of the
   * accumulator's own (`add`, from 0) or, without a copy, one of read summaries (`addRead`,
   * never written to: `#sampleShared`).
   */
  readonly #sampleValues: Float64Array[] = [];
  readonly #sampleFrom: number[] = [];
  readonly #sampleShared: boolean[] = [];
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
    const slot = this.#addHead(traceId, readHead(data, head));
    if (slot < 0) return;
    const own = this.#sampleShared[slot] === true ? undefined : this.#sampleValues[slot];
    this.#sampleValues[slot] = labelSums(group, data, own);
    this.#sampleFrom[slot] = 0;
    this.#sampleShared[slot] = false;
    this.#sampleGroups[slot] = group;
    this.#usual = undefined;
  }

  /**
   * Adds trace `index` of summaries read earlier, with the same effect as `add` of its
   * data. A sampled trace's sums are referenced, not copied: `read` must not change after.
   */
  addRead(read: ReadSummaries, index: number): void {
    const slot = this.#addHead(read.traceIds[index] as string, read.heads, index * HEAD_FIELDS);
    if (slot < 0) return;
    this.#sampleValues[slot] = read.sums;
    this.#sampleFrom[slot] = read.sumOffsets[index] as number;
    this.#sampleShared[slot] = true;
    this.#sampleGroups[slot] = read.groups[index] as SummaryGroup;
    this.#usual = undefined;
  }

  /** Records the trace-level values at `values[at..]`; returns the sample slot the trace takes, or -1. */
  #addHead(traceId: string, values: ArrayLike<number>, at = 0): number {
    this.durationUs.push(values[at] as number);
    this.errors += values[at + 1] as number;
    this.cpuMs.push(values[at + 2] as number);
    this.peakMemKb.push(values[at + 3] as number);
    this.traceIds.push(traceId);
    // Algorithm R over traces: the slot is drawn before the values are looked at.
    const seen = this.traceIds.length;
    const slot = seen <= this.#sampleSize ? seen - 1 : Math.floor(this.#random() * seen);
    return slot < this.#sampleSize ? slot : -1;
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
      const { labels, keys } = groupLabels(this.#sampleGroups[slot] as SummaryGroup);
      const sums = this.#sampleValues[slot] as Float64Array;
      const from = this.#sampleFrom[slot] as number;
      for (let i = 0; i < labels.length; i++) {
        const key = keys[i] as string;
        let columns = columnsOf.get(key);
        if (columns === undefined) {
          const { service, operation } = labels[i] as { service: string; operation: string };
          columns = [new FloatColumn(), new FloatColumn(), new FloatColumn(), new FloatColumn()];
          columnsOf.set(key, columns);
          usual.set(key, new OperationUsual(service, operation, columns));
        }
        for (let f = 0; f < 4; f++) columns[f]?.push(sums[from + i * OP_FIELDS + f] as number);
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
