/**
 * A workload file: weighted request kinds with parameter generators, the invoker's answer
 * to wrk2's Lua scripts (DeathStarBench's `mixed-workload_type_1.lua`). Validated at the
 * edge with zod; every message names the field and the expected form.
 *
 * ```json
 * { "name": "hotel-mixed", "endpoint": "frontend.default.localhost",
 *   "params": { "inDay": { "int": [9, 23] }, "outDay": { "int": [{ "param": "inDay", "add": 1 }, 24] },
 *               "inDate": { "template": "2015-04-{inDay:02}" } },
 *   "requests": [ { "name": "search", "weight": 0.6, "method": "GET", "path": "/hotels?inDate={inDate}" } ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError, errorMessage } from '../../errors.js';

/** A bound of an `int` generator: a number, or an earlier parameter plus an offset. */
const Bound = z.union([
  z.number({ error: 'expected a number or {"param": name, "add": n}' }),
  z.strictObject({ param: z.string().min(1), add: z.number().default(0) }),
]);

const IntGenerator = z.strictObject({
  /** Uniform integer in [min, max], both included. */
  int: z.tuple([Bound, Bound], { error: 'expected [min, max]' }),
  /** The value becomes `offset + n × scale` (e.g. a coordinate grid). */
  scale: z.number().optional(),
  offset: z.number().optional(),
  /** Decimal digits kept when scaled. @default 6 */
  digits: z.number().int().min(0).max(15).optional(),
});

const ChoiceGenerator = z
  .strictObject({
    choice: z
      .array(z.string(), { error: 'expected a list of strings' })
      .min(1, 'expected at least one choice'),
    weights: z.array(z.number().nonnegative('expected weights >= 0')).optional(),
  })
  .refine((g) => g.weights === undefined || g.weights.length === g.choice.length, {
    message: 'expected as many weights as choices',
  });

const TemplateGenerator = z.strictObject({
  /** `{name}` or `{name:02}` (zero-padded to 2) of earlier parameters. */
  template: z.string(),
  /** The expanded template repeated this many times (DeathStarBench's passwords). @default 1 */
  repeat: z.number().int().min(1).max(1000).optional(),
});

export const ParamGenerator = z.union([IntGenerator, ChoiceGenerator, TemplateGenerator], {
  error: 'expected {"int": [min, max]}, {"choice": [...]} or {"template": "..."}',
});
export type ParamGenerator = z.infer<typeof ParamGenerator>;

const RequestKind = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -'),
  weight: z.number().positive('expected a weight > 0'),
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method, e.g. GET or POST')
    .transform((m) => m.toUpperCase())
    .default('GET'),
  /** Path and query; `{param}` is replaced by the URL-encoded value. */
  path: z.string().startsWith('/', 'expected a path starting with /'),
  /** Optional body; `{param}` is replaced by the raw value. */
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type RequestKind = z.infer<typeof RequestKind>;

export const Workload = z.strictObject({
  name: z.string().min(1).default('workload'),
  description: z.string().optional(),
  /** Host the requests go to when no endpoints file is given (e.g. `frontend.default.localhost`). */
  endpoint: z.string().min(1).optional(),
  /** Evaluated in order for every request; a parameter may refer to earlier ones only. */
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ParamGenerator).default({}),
  requests: z.array(RequestKind).min(1, 'expected at least one request kind'),
});
export type Workload = z.infer<typeof Workload>;

/** Parses and checks a workload (references point to earlier parameters). Pure. */
export function parseWorkload(value: unknown, source = 'workload'): Workload {
  const parsed = Workload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new UserError(`${source}: ${where}: ${issue.message}`, 'see examples/hotel-mixed.json');
  }
  checkReferences(parsed.data, source);
  return parsed.data;
}

/** Reads and parses a workload JSON file. */
export async function readWorkloadFile(file: string): Promise<Workload> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`error while reading the workload ${file}: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`error while parsing the workload ${file}: ${errorMessage(error)}`);
  }
  return parseWorkload(json, file);
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?::0(\d+))?\}/g;

/** Names used in `{name}` placeholders of a text. Pure. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export { PLACEHOLDER };

function checkReferences(workload: Workload, source: string): void {
  const known = new Set<string>();
  for (const [name, generator] of Object.entries(workload.params)) {
    const refs =
      'int' in generator
        ? generator.int.flatMap((b) => (typeof b === 'number' ? [] : [b.param]))
        : 'template' in generator
          ? placeholders(generator.template)
          : [];
    for (const ref of refs)
      if (!known.has(ref))
        throw new UserError(
          `${source}: params.${name}: refers to ${JSON.stringify(ref)}, which is not an earlier parameter`,
        );
    known.add(name);
  }
  workload.requests.forEach((kind, i) => {
    for (const ref of [...placeholders(kind.path), ...placeholders(kind.body ?? '')])
      if (!known.has(ref))
        throw new UserError(`${source}: requests.${i}: {${ref}} is not a parameter of this workload`);
  });
}
