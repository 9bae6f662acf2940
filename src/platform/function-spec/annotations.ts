/**
 * `spec.template.metadata.annotations` → autoscaling settings, sandbox and cold-start mode.
 * Pure: every bad value becomes one line naming the annotation and the expected form, and
 * all lines are reported at once.
 */
import path from 'node:path';
import type { AutoscalingSettings, ColdStartMode, SandboxKind } from './function-spec.js';
import { defaultAutoscaling } from './default-autoscaling.js';
import { parseDurationMs } from './quantity.js';

const KNATIVE = 'autoscaling.knative.dev/';
const HIVELAB = 'hivelab.dev/';
const HOUR_MS = 3_600_000;

/** Knative's older camelCase spellings, which it still accepts. */
const KNATIVE_ALIASES: Readonly<Record<string, string>> = {
  minScale: 'min-scale',
  maxScale: 'max-scale',
  initialScale: 'initial-scale',
  activationScale: 'activation-scale',
  targetUtilizationPercentage: 'target-utilization-percentage',
  panicWindowPercentage: 'panic-window-percentage',
  panicThresholdPercentage: 'panic-threshold-percentage',
  scaleDownDelay: 'scale-down-delay',
};

/** Every annotation key hivelab reads (without the `autoscaling.knative.dev/` / `hivelab.dev/` prefix). */
export const KNATIVE_ANNOTATION_KEYS = [
  'class',
  'metric',
  'target',
  'target-utilization-percentage',
  'min-scale',
  'max-scale',
  'initial-scale',
  'activation-scale',
  'window',
  'panic-window-percentage',
  'panic-threshold-percentage',
  'scale-down-delay',
] as const;
export const HIVELAB_ANNOTATION_KEYS = [
  'sandbox',
  'cold-start',
  'autoscaler',
  'scale-to-zero-grace-period',
  'tick-interval',
  'pass-env',
] as const;

/** A POSIX environment variable name (what `hivelab.dev/pass-env` lists). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface AnnotationSettings {
  autoscaling: AutoscalingSettings;
  sandbox: SandboxKind;
  coldStart: ColdStartMode;
  /** Whether `hivelab.dev/cold-start` was given. */
  coldStartAnnotated: boolean;
  /** Host variables `hivelab.dev/pass-env` passes through to instances, in order, no duplicates. */
  passEnv: string[];
}

export interface AnnotationContext {
  /** Folder that a relative `hivelab.dev/autoscaler` module path resolves against. */
  baseDir: string;
  containerConcurrency: number;
  /** Path prefix for messages. @default 'spec.template.metadata.annotations' */
  fieldPath?: string;
}

/** Reads the annotations; on any bad value returns the messages instead. */
export function readAnnotations(
  annotations: Readonly<Record<string, unknown>>,
  context: AnnotationContext,
): { settings: AnnotationSettings; issues: string[] } {
  const prefix = context.fieldPath ?? 'spec.template.metadata.annotations';
  const issues: string[] = [];
  const autoscaling = defaultAutoscaling(context.containerConcurrency);
  const settings: AnnotationSettings = {
    autoscaling,
    sandbox: 'process',
    coldStart: 'boot',
    coldStartAnnotated: false,
    passEnv: [],
  };

  for (const [rawKey, rawValue] of Object.entries(annotations)) {
    const field = `${prefix}[${JSON.stringify(rawKey)}]`;
    const value = typeof rawValue === 'string' ? rawValue.trim() : String(rawValue);
    const fail = (expected: string): void => {
      issues.push(`${field}: expected ${expected}, got ${JSON.stringify(rawValue)}`);
    };
    if (rawKey.startsWith(KNATIVE)) {
      const short = rawKey.slice(KNATIVE.length);
      applyKnative(KNATIVE_ALIASES[short] ?? short, value, autoscaling, fail, (message) =>
        issues.push(`${field}: ${message}`),
      );
    } else if (rawKey.startsWith(HIVELAB)) {
      applyHivelab(rawKey.slice(HIVELAB.length), value, settings, context.baseDir, fail, (message) =>
        issues.push(`${field}: ${message}`),
      );
    }
  }
  if (autoscaling.maxScale !== 0 && autoscaling.minScale > autoscaling.maxScale) {
    issues.push(
      `${prefix}["${KNATIVE}min-scale"]: must not exceed max-scale (${autoscaling.maxScale}), got ${autoscaling.minScale}`,
    );
  }
  return { settings, issues };
}

type Fail = (expected: string) => void;

function applyKnative(
  key: string,
  value: string,
  settings: AutoscalingSettings,
  fail: Fail,
  unknown: (message: string) => void,
): void {
  switch (key) {
    case 'class':
      if (value === 'kpa.autoscaling.knative.dev' || value === 'kpa') return;
      return fail(
        '"kpa.autoscaling.knative.dev" (hivelab runs the KPA; plug in others with hivelab.dev/autoscaler)',
      );
    case 'metric':
      if (value === 'concurrency' || value === 'rps') settings.metric = value;
      else fail('"concurrency" or "rps"');
      return;
    case 'target':
      return withNumber(
        value,
        (n) => n >= 0.01,
        'a number >= 0.01',
        fail,
        (n) => (settings.target = n),
      );
    case 'target-utilization-percentage':
      return withNumber(
        value,
        (n) => n >= 1 && n <= 100,
        'a number from 1 to 100',
        fail,
        (n) => {
          settings.targetUtilization = n / 100;
        },
      );
    case 'min-scale':
      return withInteger(value, fail, (n) => (settings.minScale = n));
    case 'max-scale':
      return withInteger(value, fail, (n) => (settings.maxScale = n));
    case 'initial-scale':
      return withInteger(value, fail, (n) => (settings.initialScale = n));
    case 'activation-scale':
      if (!/^\d+$/.test(value) || Number(value) < 1) return fail('an integer >= 1');
      settings.activationScale = Number(value);
      return;
    case 'window':
      return withDuration(value, 6_000, HOUR_MS, 'a duration from 6s to 1h, e.g. "60s"', fail, (ms) => {
        settings.stableWindowMs = ms;
      });
    case 'panic-window-percentage':
      return withNumber(
        value,
        (n) => n >= 1 && n <= 100,
        'a number from 1 to 100',
        fail,
        (n) => {
          settings.panicWindowPercentage = n;
        },
      );
    case 'panic-threshold-percentage':
      return withNumber(
        value,
        (n) => n >= 110 && n <= 1000,
        'a number from 110 to 1000',
        fail,
        (n) => {
          settings.panicThresholdPercentage = n;
        },
      );
    case 'scale-down-delay':
      return withDuration(value, 0, HOUR_MS, 'a duration from 0s to 1h, e.g. "15m"', fail, (ms) => {
        settings.scaleDownDelayMs = ms;
      });
    default:
      unknown(
        `unknown annotation; hivelab reads ${KNATIVE_ANNOTATION_KEYS.map((k) => KNATIVE + k).join(', ')}`,
      );
  }
}

function applyHivelab(
  key: string,
  value: string,
  settings: AnnotationSettings,
  baseDir: string,
  fail: Fail,
  unknown: (message: string) => void,
): void {
  switch (key) {
    case 'sandbox':
      if (value === 'process' || value === 'worker' || value === 'container') settings.sandbox = value;
      else fail('"process", "worker" or "container"');
      return;
    case 'cold-start':
      if (value === 'boot' || value === 'snapshot' || value === 'prewarm') {
        settings.coldStart = value;
        settings.coldStartAnnotated = true;
      } else fail('"boot", "snapshot" or "prewarm"');
      return;
    case 'autoscaler':
      if (value === 'kpa') settings.autoscaling.policy = 'kpa';
      else if (value !== '') settings.autoscaling.policy = path.resolve(baseDir, value);
      else fail('"kpa" or the path of a module exporting a ScalingPolicy');
      return;
    case 'scale-to-zero-grace-period':
      return withDuration(value, 0, HOUR_MS, 'a duration from 0s to 1h, e.g. "30s"', fail, (ms) => {
        settings.autoscaling.scaleToZeroGracePeriodMs = ms;
      });
    case 'tick-interval':
      return withDuration(
        value,
        1,
        HOUR_MS,
        'a positive duration up to 1h, e.g. "2s" or "200ms"',
        fail,
        (ms) => {
          settings.autoscaling.tickIntervalMs = ms;
        },
      );
    case 'pass-env': {
      const names = parseEnvNameList(value);
      if (names) settings.passEnv = names;
      else fail('a comma-separated list of environment variable names, e.g. "AWS_REGION,LD_LIBRARY_PATH"');
      return;
    }
    default:
      unknown(
        `unknown annotation; hivelab reads ${HIVELAB_ANNOTATION_KEYS.map((k) => HIVELAB + k).join(', ')}`,
      );
  }
}

/** `"A, B,C"` → `['A', 'B', 'C']` (duplicates dropped); undefined when empty or a name is not an env name. */
export function parseEnvNameList(value: string): string[] | undefined {
  const names = value.split(',').map((name) => name.trim());
  if (!names.every((name) => ENV_NAME.test(name))) return undefined;
  return [...new Set(names)];
}

function withNumber(
  value: string,
  ok: (n: number) => boolean,
  expected: string,
  fail: Fail,
  set: (n: number) => void,
): void {
  const n = value === '' ? Number.NaN : Number(value);
  if (Number.isFinite(n) && ok(n)) set(n);
  else fail(expected);
}

function withInteger(value: string, fail: Fail, set: (n: number) => void): void {
  if (/^\d+$/.test(value)) set(Number(value));
  else fail('a non-negative integer');
}

function withDuration(
  value: string,
  minMs: number,
  maxMs: number,
  expected: string,
  fail: Fail,
  set: (ms: number) => void,
): void {
  const ms = parseDurationMs(value);
  if (ms !== undefined && ms >= minMs && ms <= maxMs) set(ms);
  else fail(expected);
}
