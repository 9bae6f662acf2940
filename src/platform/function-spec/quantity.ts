/**
 * Kubernetes resource quantities and Go-style durations, as Knative YAML writes them.
 * Pure parsers: each returns the number, or `undefined` when the text is not of the form,
 * so that the caller can name the field in its message.
 */
import { parseGoDurationUs } from '../../go-duration.js';

const MEMORY_SUFFIX_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** `128Mi`, `1G`, `512M`, `1e9`, `1024` → bytes (rounded up, as Kubernetes does). */
export function parseMemoryQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? Math.ceil(text) : undefined;
  const match = /^(\d+(?:\.\d+)?(?:[eE]\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(text.trim());
  if (!match) return undefined;
  const factor = MEMORY_SUFFIX_BYTES[match[2] ?? ''] ?? 1;
  const bytes = Math.ceil(Number(match[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

/** `500m`, `1`, `2.5` → millicores (rounded up). */
export function parseCpuQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? Math.ceil(text * 1000) : undefined;
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(text.trim());
  if (!match) return undefined;
  const millicores = Math.ceil(match[2] ? Number(match[1]) : Number(match[1]) * 1000);
  return millicores > 0 ? millicores : undefined;
}

/** Go `time.ParseDuration` (Knative's durations: `60s`, `1m30s`, `1.5h`, `500ms`, `0s`) → ms. */
export function parseDurationMs(text: string): number | undefined {
  const us = parseGoDurationUs(text);
  return us === undefined ? undefined : Math.round(us / 1000);
}
