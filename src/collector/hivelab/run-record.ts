/**
 * The run an invoker registers with `POST /api/hivelab/runs`: its summary and its latency
 * histogram (from the scheduled send, µs). Validated at the edge with messages that name
 * the field; unknown fields are kept out.
 */
import { z } from 'zod';

const percentiles = z.object({
  count: z.number().nonnegative(),
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

/** The JSON schema of a registered run. */
export const runRecordSchema = z.object({
  runId: z.string().min(1).max(200),
  startEpochMs: z.number().nonnegative(),
  label: z.string().max(200).optional(),
  protocol: z.string().max(20).optional(),
  endpoints: z.array(z.string().max(500)).max(10_000).optional(),
  summary: z.object({
    targetRps: z.number(),
    plannedDurationS: z.number(),
    issued: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    cold: z.number().int().nonnegative(),
    achievedRps: z.number(),
    latencyFromScheduledUs: percentiles,
    latencyFromSendUs: percentiles.optional(),
  }),
  histogram: z
    .array(z.object({ upperUs: z.number().positive(), count: z.number().int().nonnegative() }))
    .max(10_000),
});

/** A registered run. */
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Parses a body; the error names the first bad field, e.g. `summary.issued: expected number`. */
export function parseRunRecord(value: unknown): RunRecord | { error: string } {
  const result = runRecordSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  return { error: `invalid run: ${where}: ${issue.message}` };
}
