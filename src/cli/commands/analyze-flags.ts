/**
 * Flags shared by `hivelab analyze …` and `hivelab trace show`: the source, the filters and
 * the analysis options, validated into the library's query types.
 */
import type { Command } from 'commander';
import {
  KEY_KINDS,
  isFileSource,
  parseDurationUs,
  resolveWindow,
  type AnalysisQuery,
  type KeyKind,
  type SourceFlags,
} from '../../analysis/index.js';
import { z } from 'zod';
import {
  parseFlag,
  positiveInt as positiveIntSchema,
  positiveNumber as positiveNumberSchema,
} from '../flags.js';

export interface RawAnalyzeFlags {
  data?: string;
  store?: string;
  zipkin?: string;
  jaeger?: string;
  file?: string[];
  service?: string;
  operation?: string;
  lookback?: string;
  start?: string;
  end?: string;
  limit?: string;
  key?: string;
  maxClockSkew?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the source flags. */
export function sourceOptions(command: Command): Command {
  return command
    .option('--data <dir>', 'read the local store directly (the data folder of hivelab up / collector)')
    .option('--store <url>', 'read a PostgreSQL trace store directly (postgres://user:pass@host:5432/db)')
    .option('--zipkin <url>', 'a hivelab collector or Zipkin server (default http://127.0.0.1:9411)')
    .option('--jaeger <url>', 'a Jaeger query API, base path included (e.g. http://host:16686/jaeger)')
    .option(
      '--file <file>',
      'a trace file: Zipkin v2, Jaeger {"data":[…]} or OTLP JSON (repeatable)',
      collect,
    )
    .option('--max-clock-skew <duration>', 'largest clock-skew shift of a span (0 disables)', '1s');
}

/** Adds the source, filter and key flags. */
export function analyzeOptions(command: Command): Command {
  return sourceOptions(command)
    .option('--service <name>', 'only traces with a span of this service')
    .option('--operation <name>', 'only traces with a span of this name (of --service, when given)')
    .option('--lookback <duration>', 'traces of the last DURATION (default 1h; files: all)')
    .option('--start <time>', 'traces from TIME (RFC 3339 or epoch ms)')
    .option('--end <time>', 'traces until TIME (RFC 3339 or epoch ms; default now)')
    .option('--limit <n>', 'at most N traces (the newest)')
    .option('--key <kind>', `request type key: ${KEY_KINDS.join('|')}`, 'tree');
}

export function sourceFlags(raw: RawAnalyzeFlags): SourceFlags {
  return {
    ...(raw.data !== undefined ? { data: raw.data } : {}),
    ...(raw.store !== undefined ? { store: raw.store } : {}),
    ...(raw.zipkin !== undefined ? { zipkin: raw.zipkin } : {}),
    ...(raw.jaeger !== undefined ? { jaeger: raw.jaeger } : {}),
    ...(raw.file !== undefined ? { file: raw.file } : {}),
  };
}

/** A positive integer flag. */
export function positiveInt(raw: string | undefined, flag: string): number | undefined {
  return raw === undefined ? undefined : parseFlag(positiveIntSchema, raw, flag);
}

/** A positive number flag. */
export function positiveNumber(raw: string | undefined, flag: string): number | undefined {
  return raw === undefined ? undefined : parseFlag(positiveNumberSchema, raw, flag);
}

/** One of `allowed`. */
export function oneOf<T extends string>(raw: string, allowed: readonly T[], flag: string): T {
  const schema = z.string().refine((v): v is T => (allowed as readonly string[]).includes(v), {
    error: `expected one of ${allowed.join(', ')}`,
  });
  return parseFlag<T>(schema, raw, flag);
}

/** The library query of the flags (window: last hour by default, all of a file). */
export function analysisQuery(raw: RawAnalyzeFlags, nowUs = Date.now() * 1000): AnalysisQuery {
  const window = resolveWindow(raw, nowUs, isFileSource(sourceFlags(raw)) ? undefined : 3_600_000_000);
  const limit = positiveInt(raw.limit, '--limit');
  return {
    key: oneOf<KeyKind>(raw.key ?? 'tree', KEY_KINDS, '--key'),
    maxClockSkewUs: parseDurationUs(raw.maxClockSkew ?? '1s', '--max-clock-skew'),
    ...(window !== undefined ? { window } : {}),
    ...(raw.service !== undefined ? { service: raw.service } : {}),
    ...(raw.operation !== undefined ? { operation: raw.operation } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}
