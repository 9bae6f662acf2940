/**
 * The `FunctionSpec` JSON the admin API accepts (`PUT /_hivelab/functions/{ns}/{name}`),
 * checked with zod so a bad body is answered with the field and the expected form.
 */
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../../errors.js';
import { formatZodIssues } from '../../format-issues.js';
import type { FunctionSpec } from './function-spec.js';

const dnsLabel = z
  .string({ error: 'a DNS label (lower-case letters, digits, "-")' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'a DNS label (lower-case letters, digits, "-")' })
  .max(63, { error: 'a DNS label of at most 63 characters' });
const absolutePath = z
  .string({ error: 'an absolute path' })
  .refine((p) => path.isAbsolute(p), { error: 'an absolute path' });
const nonNegativeInt = z
  .number({ error: 'a non-negative integer' })
  .int({ error: 'a non-negative integer' })
  .min(0, { error: 'a non-negative integer' });
const positiveNumber = z.number({ error: 'a positive number' }).positive({ error: 'a positive number' });
const positiveInt = z
  .number({ error: 'a positive integer' })
  .int({ error: 'a positive integer' })
  .positive({ error: 'a positive integer' });

const autoscalingSchema = z.strictObject(
  {
    policy: z.union([z.literal('kpa'), absolutePath], { error: '"kpa" or an absolute module path' }),
    metric: z.enum(['concurrency', 'rps'], { error: '"concurrency" or "rps"' }),
    target: positiveNumber,
    targetUtilization: z
      .number({ error: 'a fraction from 0.01 to 1' })
      .min(0.01, { error: 'a fraction from 0.01 to 1' })
      .max(1, { error: 'a fraction from 0.01 to 1' }),
    minScale: nonNegativeInt,
    maxScale: nonNegativeInt,
    initialScale: nonNegativeInt,
    activationScale: positiveInt.optional(),
    stableWindowMs: positiveInt,
    panicWindowPercentage: z
      .number({ error: 'a number from 1 to 100' })
      .min(1, { error: 'a number from 1 to 100' })
      .max(100, { error: 'a number from 1 to 100' }),
    panicThresholdPercentage: z
      .number({ error: 'a number from 110 to 1000' })
      .min(110, { error: 'a number from 110 to 1000' })
      .max(1000, { error: 'a number from 110 to 1000' }),
    scaleDownDelayMs: nonNegativeInt,
    scaleToZeroGracePeriodMs: nonNegativeInt,
    tickIntervalMs: positiveInt,
    maxScaleUpRate: z.number({ error: 'a number > 1' }).gt(1, { error: 'a number > 1' }),
    maxScaleDownRate: z.number({ error: 'a number > 1' }).gt(1, { error: 'a number > 1' }),
  },
  { error: 'an object of autoscaling settings' },
);

const portNumber = z.number({ error: 'a port number' }).int().min(1).max(65535);
const probeSchema = z.strictObject(
  {
    handler: z.discriminatedUnion(
      'kind',
      [
        z.strictObject({
          kind: z.literal('httpGet'),
          path: z.string({ error: 'a path' }).startsWith('/', { error: 'a path starting with "/"' }),
          port: portNumber.optional(),
          headers: z.array(z.strictObject({ name: z.string(), value: z.string() }), {
            error: 'a list of {name, value}',
          }),
        }),
        z.strictObject({ kind: z.literal('tcpSocket'), port: portNumber.optional() }),
        z.strictObject({
          kind: z.literal('grpc'),
          port: portNumber.optional(),
          service: z.string({ error: 'a gRPC service name ("" = the server)' }),
        }),
      ],
      { error: 'a probe handler {kind: "httpGet" | "tcpSocket" | "grpc", ...}' },
    ),
    initialDelaySeconds: nonNegativeInt,
    periodSeconds: nonNegativeInt,
    timeoutSeconds: nonNegativeInt,
    failureThreshold: nonNegativeInt,
    successThreshold: positiveInt,
  },
  { error: 'a probe (see spec/probe-spec.ts)' },
);

/** zod schema of `FunctionSpec` (strict: an unknown field is a typo). */
const containerSchema = z.object(
  {
    name: z.string({ error: 'a container name' }),
    image: z.string({ error: 'an image reference' }),
    command: z.array(z.string({ error: 'a string' })).optional(),
    args: z.array(z.string({ error: 'a string' })).optional(),
    env: z.record(z.string(), z.string({ error: 'a string' }), { error: 'a map of strings' }),
    workingDir: z.string({ error: 'a path' }).optional(),
    builtin: z.string({ error: 'an absolute module path' }).optional(),
  },
  { error: 'a container {name, image, command?, args?, env}' },
);

export const functionSpecSchema = z.strictObject(
  {
    name: dnsLabel,
    namespace: dnsLabel,
    image: z.string({ error: 'a string' }),
    command: z.array(z.string({ error: 'a string' }), { error: 'a list [executable, ...args]' }),
    env: z.record(z.string(), z.string({ error: 'a string' }), { error: 'a map of strings' }),
    passEnv: z
      .array(
        z
          .string({ error: 'an environment variable name' })
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name, e.g. "AWS_REGION"' }),
        { error: 'a list of environment variable names' },
      )
      .optional(),
    workingDir: absolutePath,
    protocol: z.enum(['http1', 'h2c'], { error: '"http1" or "h2c"' }),
    handlerModule: absolutePath.optional(),
    containerConcurrency: nonNegativeInt,
    timeoutMs: positiveInt,
    memoryLimitBytes: positiveInt.optional(),
    cpuLimitMillicores: positiveInt.optional(),
    containerPort: z.number({ error: 'a port number' }).int().min(1).max(65535).optional(),
    containers: z.array(containerSchema, { error: 'a list of containers' }).min(1).optional(),
    readinessProbe: probeSchema.optional(),
    livenessProbe: probeSchema.optional(),
    sandbox: z.enum(['process', 'worker', 'container'], { error: '"process", "worker" or "container"' }),
    coldStart: z.enum(['boot', 'snapshot', 'prewarm'], { error: '"boot", "snapshot" or "prewarm"' }),
    coldStartAnnotated: z.boolean({ error: 'true or false' }).optional(),
    autoscaling: autoscalingSchema,
  },
  { error: 'a FunctionSpec object' },
);

/**
 * Checks a `FunctionSpec` received as JSON.
 * @throws UserError listing each bad field and its expected form.
 */
export function validateFunctionSpec(json: unknown): FunctionSpec {
  const parsed = functionSpecSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new UserError(`invalid function spec:\n  ${formatZodIssues(parsed.error.issues).join('\n  ')}`);
  }
  const spec = parsed.data;
  const issues: string[] = [];
  const { minScale, maxScale } = spec.autoscaling;
  if (maxScale !== 0 && minScale > maxScale)
    issues.push(`autoscaling.minScale: must not exceed maxScale (${maxScale})`);
  if (spec.sandbox !== 'container' && spec.command.length === 0)
    issues.push('command: expected a list [executable, ...args], got an empty list');
  if (spec.sandbox === 'container') {
    if (spec.containers === undefined)
      issues.push('containers: required by sandbox "container" (the images it runs)');
    if (spec.coldStart !== 'boot')
      issues.push(`coldStart: sandbox "container" boots only, got "${spec.coldStart}"`);
  } else if (spec.handlerModule === undefined && (spec.sandbox !== 'process' || spec.coldStart !== 'boot'))
    issues.push(`handlerModule: required by sandbox "${spec.sandbox}" / cold start "${spec.coldStart}"`);
  for (const [field, probe] of [
    ['readinessProbe', spec.readinessProbe],
    ['livenessProbe', spec.livenessProbe],
  ] as const) {
    if (!probe) continue;
    const aggressive = field === 'readinessProbe' && probe.periodSeconds === 0;
    if (aggressive && (probe.timeoutSeconds !== 0 || probe.failureThreshold !== 0))
      issues.push(
        `${field}: timeoutSeconds and failureThreshold must be 0 when periodSeconds is 0 (Knative's aggressive probing)`,
      );
    if (!aggressive && (probe.periodSeconds < 1 || probe.timeoutSeconds < 1 || probe.failureThreshold < 1))
      issues.push(`${field}: periodSeconds, timeoutSeconds and failureThreshold must be at least 1`);
    if (field === 'livenessProbe' && probe.successThreshold !== 1)
      issues.push('livenessProbe.successThreshold: must be 1');
  }
  if (issues.length > 0) throw new UserError(`invalid function spec:\n  ${issues.join('\n  ')}`);
  return spec;
}
