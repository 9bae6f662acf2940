/**
 * Command-line flags, validated one way: each command describes its flags as a zod schema
 * and `parseFlags` turns the first issue into a `UserError` that names the flag as the user
 * typed it and the expected form (`invalid --port "http": expected a port number …`). The
 * schema pieces several commands share live here too.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { findLab } from './lab-file.js';

/**
 * How a command's flags are spelled: vHive's Go tools take `-jsonFile` (hivelab's `deploy`
 * and `invoke` keep those names), hivelab's own commands `--collector-port`.
 */
export type FlagStyle = 'go' | 'gnu';

/** Pure: commander's option key as the flag the user typed. */
export function flagName(key: string, style: FlagStyle = 'gnu'): string {
  if (style === 'go') return `-${key}`;
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Validates commander's options; the message names the flag and the expected form. */
export function parseFlags<T>(
  schema: z.ZodType<T>,
  raw: Record<string, unknown>,
  command: string,
  style: FlagStyle = 'gnu',
): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  const value = raw[key] === undefined ? 'missing' : JSON.stringify(raw[key]);
  throw new UserError(
    `invalid ${flagName(key, style)} ${value}: ${issue?.message ?? 'bad value'}`,
    `see hivelab ${command} --help`,
  );
}

/** One flag's value through its schema, for flags read one at a time (`analyze`'s many). */
export function parseFlag<T>(schema: z.ZodType<T>, raw: unknown, flag: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UserError(
    `invalid ${flag} ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? 'bad value'}`,
  );
}

const PORT = 'expected a port number (0-65535; 0 picks a free port)';
/** A port to listen on: an integer 0-65535, 0 picking a free one. */
export const listenPort = z
  .string()
  .regex(/^\d+$/, PORT)
  .transform(Number)
  .refine((n) => n <= 65535, PORT);

export const positiveInt = z.coerce
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .min(1, 'expected a positive integer');

export const positiveNumber = z.coerce
  .number({ error: 'expected a positive number' })
  .refine((n) => Number.isFinite(n) && n > 0, 'expected a positive number');

export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a DNS label (lower-case letters, digits, "-")');

/** DNS labels separated by dots, e.g. `localhost` or `127.0.0.1.sslip.io`; lower-cased. */
export const dnsName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i,
    'expected a DNS name such as localhost',
  )
  .transform((name) => name.toLowerCase());

export const gatewayFlag = z
  .string()
  .refine(
    (text) => /^https?:\/\/[^/]+\/?$/.test(text),
    'expected the gateway base URL, e.g. http://127.0.0.1:8080',
  );

/** The admin address when `--gateway` is not given: env, else the running `hivelab up`, else :8080. */
export function defaultGateway(): string {
  return process.env.HIVELAB_GATEWAY_URL || findLab()?.gatewayUrl || 'http://127.0.0.1:8080';
}
