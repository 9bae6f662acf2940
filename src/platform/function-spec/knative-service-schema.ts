/**
 * The shape of a Knative `serving.knative.dev/v1` `Service` that hivelab reads, as a zod
 * schema. Unknown fields are allowed (Knative has many hivelab does not need); each known
 * field's custom error is the expected form, for `formatZodIssues`.
 */
import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'a string' });

const containerSchema = z.looseObject({
  name: z.string({ error: 'a string' }).optional(),
  image: z.string({ error: 'an image name, e.g. "builtin:helloworld"' }).optional(),
  command: z.array(z.string({ error: 'a string' }), { error: 'a list of strings' }).optional(),
  args: z.array(z.string({ error: 'a string' }), { error: 'a list of strings' }).optional(),
  workingDir: z.string({ error: 'a path' }).optional(),
  env: z
    .array(
      z.looseObject({
        name: z.string({ error: 'an environment variable name' }).regex(/^[^=\0]+$/, {
          error: 'a variable name without "="',
        }),
        value: scalar.nullable().optional(),
        valueFrom: z.unknown().optional(),
      }),
      { error: 'a list of {name, value}' },
    )
    .optional(),
  ports: z
    .array(
      z.looseObject({
        name: z.string({ error: 'a port name, e.g. "h2c" or "http1"' }).optional(),
        containerPort: z
          .number({ error: 'a port number from 1 to 65535' })
          .int({ error: 'a port number from 1 to 65535' })
          .min(1, { error: 'a port number from 1 to 65535' })
          .max(65535, { error: 'a port number from 1 to 65535' })
          .optional(),
      }),
      { error: 'a list of {name, containerPort}' },
    )
    .optional(),
  // Read (and refused where hivelab cannot honour them) by probe-spec.ts.
  readinessProbe: z.unknown().optional(),
  livenessProbe: z.unknown().optional(),
  startupProbe: z.unknown().optional(),
  resources: z
    .looseObject({
      limits: z
        .looseObject({
          memory: z
            .union([z.string(), z.number()], { error: 'a Kubernetes quantity, e.g. "128Mi"' })
            .optional(),
          cpu: z
            .union([z.string(), z.number()], { error: 'a Kubernetes quantity, e.g. "500m" or "1"' })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export const knativeServiceSchema = z.looseObject({
  apiVersion: z.literal('serving.knative.dev/v1', { error: '"serving.knative.dev/v1"' }),
  kind: z.literal('Service', { error: '"Service"' }),
  metadata: z
    .looseObject({
      name: z.string({ error: 'a name' }).optional(),
      namespace: z.string({ error: 'a namespace name' }).optional(),
    })
    .optional(),
  spec: z.looseObject(
    {
      template: z.looseObject(
        {
          metadata: z
            .looseObject({
              annotations: z.record(z.string(), scalar, { error: 'a map of string values' }).optional(),
            })
            .optional(),
          spec: z.looseObject(
            {
              containerConcurrency: z
                .number({ error: 'a non-negative integer (0 = unlimited)' })
                .int({ error: 'a non-negative integer (0 = unlimited)' })
                .min(0, { error: 'a non-negative integer (0 = unlimited)' })
                .optional(),
              timeoutSeconds: z
                .number({ error: 'a positive integer number of seconds' })
                .int({ error: 'a positive integer number of seconds' })
                .min(1, { error: 'a positive integer number of seconds' })
                .optional(),
              containers: z
                .array(containerSchema, { error: 'a list of containers' })
                .min(1, { error: 'a list of containers' }),
            },
            { error: 'an object with containers' },
          ),
        },
        { error: 'an object with spec.containers' },
      ),
    },
    { error: 'an object with template' },
  ),
});

export type KnativeService = z.infer<typeof knativeServiceSchema>;
export type KnativeContainer = z.infer<typeof containerSchema>;
