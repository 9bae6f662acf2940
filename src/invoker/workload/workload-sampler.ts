/**
 * Draws requests from a workload: a kind by weight, then its parameters, all from one
 * seeded source of randomness, so a run is repeatable with `--seed`. Pure.
 */
import type { Random } from '../schedule/prng.js';
import { PLACEHOLDER, type ParamGenerator, type RequestKind, type Workload } from './workload-file.js';

/** One request drawn from a workload. */
export interface SampledRequest {
  kind: string;
  method: string;
  path: string;
  body?: string;
  headers?: Readonly<Record<string, string>>;
}

export type WorkloadSampler = () => SampledRequest;

/** Builds a sampler; `random` is the only source of randomness. */
export function createWorkloadSampler(workload: Workload, random: Random): WorkloadSampler {
  const total = workload.requests.reduce((sum, kind) => sum + kind.weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const kind of workload.requests) cumulative.push((running += kind.weight / total));
  const params = Object.entries(workload.params);
  return () => {
    const u = random();
    let index = cumulative.findIndex((edge) => u < edge);
    if (index === -1) index = workload.requests.length - 1;
    const kind = workload.requests[index]!;
    const values = new Map<string, string>();
    for (const [name, generator] of params) values.set(name, generate(generator, values, random));
    return sampleOf(kind, values);
  };
}

function sampleOf(kind: RequestKind, values: ReadonlyMap<string, string>): SampledRequest {
  const sample: SampledRequest = {
    kind: kind.name,
    method: kind.method,
    path: expand(kind.path, values, encodeURIComponent),
  };
  if (kind.body !== undefined) sample.body = expand(kind.body, values, (v) => v);
  if (kind.headers !== undefined) sample.headers = kind.headers;
  return sample;
}

/** One parameter's value as text. Pure apart from `random`. */
export function generate(
  generator: ParamGenerator,
  values: ReadonlyMap<string, string>,
  random: Random,
): string {
  if ('int' in generator) {
    const [lo, hi] = generator.int.map((bound) =>
      typeof bound === 'number' ? bound : Number(values.get(bound.param)) + bound.add,
    ) as [number, number];
    const min = Math.ceil(lo);
    const max = Math.floor(hi);
    const n = max <= min ? min : min + Math.floor(random() * (max - min + 1));
    if (generator.scale === undefined && generator.offset === undefined) return String(n);
    const scaled = (generator.offset ?? 0) + n * (generator.scale ?? 1);
    return String(Number(scaled.toFixed(generator.digits ?? 6)));
  }
  if ('choice' in generator) {
    const weights = generator.weights ?? generator.choice.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let u = random() * total;
    for (let i = 0; i < generator.choice.length; i++) {
      u -= weights[i]!;
      if (u < 0) return generator.choice[i]!;
    }
    return generator.choice[generator.choice.length - 1]!;
  }
  return expand(generator.template, values, (v) => v).repeat(generator.repeat ?? 1);
}

/** Replaces `{name}` / `{name:0N}` placeholders. Pure. */
export function expand(
  text: string,
  values: ReadonlyMap<string, string>,
  encode: (value: string) => string,
): string {
  return text.replace(PLACEHOLDER, (_all, name: string, width: string | undefined) => {
    const value = values.get(name) ?? '';
    return encode(width === undefined ? value : value.padStart(Number(width), '0'));
  });
}
