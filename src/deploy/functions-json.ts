/**
 * vHive's `functions.json`: `{"functions":[{"name","file","count", eventing?, applyScript?}]}`.
 * Parsed with zod so a bad file is refused with the field and the expected form (vHive's
 * deployer silently ignores a malformed file and deploys nothing).
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodIssues } from '../format-issues.js';

const functionTypeSchema = z.looseObject({
  name: z
    .string({ error: 'a function name (lower-case letters, digits, "-")' })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'a function name (lower-case letters, digits, "-")' }),
  file: z
    .string({ error: 'the YAML file name, e.g. "helloworld.yaml"' })
    .min(1, { error: 'a YAML file name' }),
  count: z
    .number({ error: 'a non-negative integer' })
    .int({ error: 'a non-negative integer' })
    .min(0, { error: 'a non-negative integer' }),
  // vHive's eventing and applyScript are accepted and ignored (no Knative Eventing here).
  eventing: z.boolean({ error: 'true or false' }).optional(),
  applyScript: z.string({ error: 'a string' }).optional(),
});

const functionsFileSchema = z.looseObject(
  { functions: z.array(functionTypeSchema, { error: 'a list of {name, file, count}' }) },
  { error: 'an object {"functions": [...]}' },
);

export type FunctionType = z.infer<typeof functionTypeSchema>;

/**
 * Parses the text of a `functions.json`.
 * @throws UserError naming the file and each bad field.
 */
export function parseFunctionsJson(text: string, fileName = 'functions.json'): FunctionType[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${fileName} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = functionsFileSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new UserError(`invalid ${fileName}:\n  ${formatZodIssues(parsed.error.issues).join('\n  ')}`);
  }
  const names = new Set<string>();
  for (const [i, fn] of parsed.data.functions.entries()) {
    if (names.has(fn.name))
      throw new UserError(`invalid ${fileName}:\n  functions[${i}].name: "${fn.name}" appears twice`);
    names.add(fn.name);
  }
  return parsed.data.functions;
}
